using System.Text.Json;
using Stripe;

namespace Taskee.Api.Billing.Stripe;

/// <summary>
/// Fields that events of older API versions carry and Stripe.net's current model no longer has: before 2025-03-31 the
/// period was on the subscription (now on its items), an invoice named its subscription, charge and payment intent at
/// top level and said <c>paid</c>. Read from the object's raw JSON, so old events (and stores of them) still apply.
/// </summary>
internal static class StripeLegacyFields
{
    public static DateTimeOffset? SubscriptionPeriodStart(Subscription subscription) => Time(subscription, "current_period_start");

    public static DateTimeOffset? SubscriptionPeriodEnd(Subscription subscription) => Time(subscription, "current_period_end");

    /// <summary>The single plan of a subscription from before subscription items.</summary>
    public static string? SubscriptionPlan(Subscription subscription) => Id(subscription, "plan");

    public static string? InvoiceSubscription(Invoice invoice) => Id(invoice, "subscription");

    public static string? InvoiceCharge(Invoice invoice) => Id(invoice, "charge");

    public static string? InvoicePaymentIntent(Invoice invoice) => Id(invoice, "payment_intent");

    public static bool InvoicePaid(Invoice invoice) =>
        Field(invoice, "paid") is { ValueKind: JsonValueKind.True };

    /// <summary><c>subscription_details.metadata.org_id</c> at the invoice's top level (before <c>parent</c>).</summary>
    public static string? InvoiceSubscriptionMetadata(Invoice invoice, string key) =>
        Field(invoice, "subscription_details") is { ValueKind: JsonValueKind.Object } details
        && details.TryGetProperty("metadata", out var metadata) && metadata.ValueKind == JsonValueKind.Object
        && metadata.TryGetProperty(key, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : null;

    private static JsonElement? Field(StripeEntity entity, string name) =>
        entity.RawJsonElement is { ValueKind: JsonValueKind.Object } raw && raw.TryGetProperty(name, out var value) ? value : null;

    /// <summary>A reference: an id, or the id of the expanded object.</summary>
    private static string? Id(StripeEntity entity, string name) => Field(entity, name) switch
    {
        { ValueKind: JsonValueKind.String } id => id.GetString(),
        { ValueKind: JsonValueKind.Object } expanded when expanded.TryGetProperty("id", out var id) && id.ValueKind == JsonValueKind.String => id.GetString(),
        _ => null,
    };

    private static DateTimeOffset? Time(StripeEntity entity, string name) =>
        Field(entity, name) is { ValueKind: JsonValueKind.Number } number && number.TryGetInt64(out var seconds) && seconds is >= 0 and <= 253_402_300_799
            ? DateTimeOffset.FromUnixTimeSeconds(seconds)
            : null;
}

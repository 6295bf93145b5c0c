using System.Text.Json;
using Taskee.Grains.Billing;
using Taskee.Grains.Interfaces;

namespace Taskee.Api.Billing.Stripe;

/// <summary>Where a Stripe object points: its customer and the organisation hints Stripe carries for us.</summary>
/// <param name="OrgHints">Organisation ids from <c>metadata.org_id</c> or a checkout session's <c>client_reference_id</c>.</param>
public sealed record StripeOwner(string? CustomerId, IReadOnlyList<string> OrgHints)
{
    public const string OrgIdMetadataKey = "org_id";
}

public sealed record SubscriptionObject(BillingSubscription Fact, StripeOwner Owner, IReadOnlyList<string> PriceIds);

public sealed record InvoiceObject(BillingInvoice Fact, StripeOwner Owner, IReadOnlyList<string> RelatedIds);

public sealed record DisputeObject(BillingDispute Fact, string? ChargeId, string? PaymentIntentId, StripeOwner Owner);

public sealed record CheckoutSessionObject(string Id, string? SubscriptionId, StripeOwner Owner);

public sealed record CustomerObject(BillingCustomer Fact, StripeOwner Owner);

/// <summary>
/// Reads Stripe objects into billing facts. Accepts the shapes of old and new API versions: the current period on the
/// subscription or (since 2025-03-31) on its items; an invoice's subscription at top level or under
/// <c>parent.subscription_details</c>; references as ids or expanded objects.
/// </summary>
public static class StripeObjects
{
    /// <summary>The pseudo event type of an object read from Stripe's API rather than delivered in an event.</summary>
    public const string ReadFromStripe = "read";

    /// <summary>Ranks of events of one object within the same second: created before updated before deleted; a read from Stripe is newest.</summary>
    public static int RankOf(string eventType) => eventType switch
    {
        "customer.subscription.created" => 0,
        "customer.subscription.deleted" => 2,
        ReadFromStripe => BillingFacts.ReadRank,
        _ => 1,
    };

    public static SubscriptionObject Subscription(JsonElement sub, DateTimeOffset observedAt, int rank, string eventId, Func<string, string?> planForPrice)
    {
        var items = StripeJson.Items(sub, "items").ToList();
        var priceIds = items.Select(i => StripeJson.Id(i, "price") ?? StripeJson.Id(i, "plan")).OfType<string>().ToList();
        if (priceIds.Count == 0 && (StripeJson.Id(sub, "plan") ?? StripeJson.Id(sub, "price")) is { } legacy) priceIds.Add(legacy);
        // The item whose price is one of our plans decides the plan; add-on prices (extra seats) do not.
        var price = priceIds.FirstOrDefault(p => planForPrice(p) is not null) ?? priceIds.FirstOrDefault();

        var periodStart = StripeJson.Time(sub, "current_period_start") ?? items.Select(i => StripeJson.Time(i, "current_period_start")).FirstOrDefault(t => t is not null);
        var periodEnd = StripeJson.Time(sub, "current_period_end") ?? items.Select(i => StripeJson.Time(i, "current_period_end")).FirstOrDefault(t => t is not null);

        var fact = new BillingSubscription(
            StripeJson.String(sub, "id") ?? throw new JsonException("A subscription without an id."),
            StripeJson.String(sub, "status") ?? StripeStatus.Active,
            price,
            StripeJson.Time(sub, "created") ?? observedAt,
            periodStart,
            periodEnd,
            StripeJson.Bool(sub, "cancel_at_period_end"),
            StripeJson.Time(sub, "cancel_at"),
            StripeJson.Time(sub, "ended_at"),
            observedAt,
            rank,
            eventId);
        return new SubscriptionObject(fact, Owner(StripeJson.Id(sub, "customer"), StripeJson.Metadata(sub, StripeOwner.OrgIdMetadataKey)), priceIds);
    }

    /// <summary>
    /// An invoice as of one event. Paid (or void) settles it; a failed payment records the failure at the event's time,
    /// and when Stripe schedules no further attempt, that retries are exhausted.
    /// </summary>
    public static InvoiceObject Invoice(JsonElement invoice, string eventType, DateTimeOffset at, string eventId)
    {
        var status = StripeJson.String(invoice, "status");
        var paid = status == "paid" || StripeJson.Bool(invoice, "paid") || eventType is "invoice.paid" or "invoice.payment_succeeded";
        var settled = paid || status == "void";
        var failed = !settled && (eventType == "invoice.payment_failed" || status == "uncollectible"
            || (status == "open" && StripeJson.Bool(invoice, "attempted")));
        var exhausted = failed && (status == "uncollectible" || StripeJson.Long(invoice, "next_payment_attempt") is null);

        var subscriptionDetails = StripeJson.Path(invoice, "parent", "subscription_details") ?? StripeJson.Object(invoice, "subscription_details");
        var subscriptionId = StripeJson.Id(invoice, "subscription") ?? (subscriptionDetails is { } d ? StripeJson.Id(d, "subscription") : null);

        var fact = new BillingInvoice(
            StripeJson.String(invoice, "id") ?? throw new JsonException("An invoice without an id."),
            subscriptionId,
            settled,
            paid ? StripeJson.Time(StripeJson.Object(invoice, "status_transitions") ?? default, "paid_at") ?? at : null,
            failed ? at : null,
            exhausted ? at : null,
            failed ? eventId : null,
            at);

        var hints = new[]
        {
            StripeJson.Metadata(invoice, StripeOwner.OrgIdMetadataKey),
            subscriptionDetails is { } details ? StripeJson.Metadata(details, StripeOwner.OrgIdMetadataKey) : null,
        };
        var related = new[] { fact.Id, subscriptionId, StripeJson.Id(invoice, "charge"), StripeJson.Id(invoice, "payment_intent") }.OfType<string>().ToList();
        return new InvoiceObject(fact, Owner(StripeJson.Id(invoice, "customer"), hints), related);
    }

    public static DisputeObject Dispute(JsonElement dispute, DateTimeOffset observedAt, string eventId)
    {
        var status = StripeJson.String(dispute, "status") ?? "needs_response";
        var fact = new BillingDispute(
            StripeJson.String(dispute, "id") ?? throw new JsonException("A dispute without an id."),
            status,
            StripeJson.Time(dispute, "created") ?? observedAt,
            StripeStatus.IsClosed(status) ? observedAt : null,
            observedAt,
            eventId);
        var charge = StripeJson.Object(dispute, "charge");
        var customer = charge is { } c ? StripeJson.Id(c, "customer") : null;
        return new DisputeObject(fact, StripeJson.Id(dispute, "charge"), StripeJson.Id(dispute, "payment_intent"),
            Owner(customer, StripeJson.Metadata(dispute, StripeOwner.OrgIdMetadataKey)));
    }

    public static CheckoutSessionObject CheckoutSession(JsonElement session) => new(
        StripeJson.String(session, "id") ?? throw new JsonException("A checkout session without an id."),
        StripeJson.Id(session, "subscription"),
        Owner(StripeJson.Id(session, "customer"), StripeJson.String(session, "client_reference_id"), StripeJson.Metadata(session, StripeOwner.OrgIdMetadataKey)));

    public static CustomerObject Customer(JsonElement customer, DateTimeOffset observedAt, string eventId)
    {
        var id = StripeJson.String(customer, "id") ?? throw new JsonException("A customer without an id.");
        return new CustomerObject(
            new BillingCustomer(id, StripeJson.String(customer, "email"), StripeJson.Bool(customer, "delinquent"), observedAt, eventId),
            Owner(id, StripeJson.Metadata(customer, StripeOwner.OrgIdMetadataKey)));
    }

    private static StripeOwner Owner(string? customerId, params string?[] hints) =>
        new(customerId, hints.Where(OrganisationId.IsValid).OfType<string>().Distinct(StringComparer.Ordinal).ToList());
}

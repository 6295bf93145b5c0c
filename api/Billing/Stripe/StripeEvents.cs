using Stripe;
using Stripe.Checkout;

namespace Taskee.Api.Billing.Stripe;

/// <summary>Stripe events as Stripe.net parses them, of any API version.</summary>
public static class StripeEvents
{
    /// <summary>Parses a stored (already verified) event; null when the text is not a Stripe event.</summary>
    public static Event? Parse(string json)
    {
        try
        {
            var evt = EventUtility.ParseEvent(json, throwOnApiVersionMismatch: false);
            return IsEvent(evt) ? evt : null;
        }
        catch (Exception ex) when (IsNotJson(ex))
        {
            return null;
        }
    }

    /// <summary>Stripe.net reads an event's JSON with System.Text.Json, its objects with Newtonsoft.Json.</summary>
    public static bool IsNotJson(Exception ex) => ex is System.Text.Json.JsonException or Newtonsoft.Json.JsonException;

    /// <summary>An id, a type, a creation time and an object: what billing needs of any event (an absent time reads as 1970 or earlier).</summary>
    public static bool IsEvent(Event? evt) =>
        evt is { Id.Length: > 0 and <= 255, Type.Length: > 0 and <= 255 } && evt.Created > DateTime.UnixEpoch && evt.Data?.RawObject is not null;

    public static DateTimeOffset CreatedAt(Event evt) => new(DateTime.SpecifyKind(evt.Created, DateTimeKind.Utc));

    /// <summary>The Stripe customer the event's object belongs to, when it names one.</summary>
    public static string? CustomerId(Event evt) => evt.Data.Object switch
    {
        Customer customer => customer.Id,
        Subscription subscription => subscription.CustomerId,
        Invoice invoice => invoice.CustomerId,
        Session session => session.CustomerId,
        Charge charge => charge.CustomerId,
        PaymentMethod method => method.CustomerId,
        _ => null,
    };
}

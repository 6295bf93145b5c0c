using Stripe;

namespace Taskee.Api.Billing.Stripe;

/// <summary>The outcome of checking a webhook delivery.</summary>
public enum SignatureCheck
{
    Valid,
    NotConfigured,
    Missing,
    Stale,
    NoMatch,
    NotAnEvent,
}

/// <summary>A checked delivery: the event when <see cref="Check"/> is <see cref="SignatureCheck.Valid"/>.</summary>
public sealed record WebhookVerification(SignatureCheck Check, Event? Event);

/// <summary>
/// Verifies a delivery with Stripe.net's <see cref="EventUtility.ConstructEvent(string, string, string, long, long, bool)"/>:
/// the header's <c>v1</c> signatures (any of them) against each configured secret in turn (current, then during a
/// rotation the previous one), the timestamp within the tolerance of the node's clock. Events of any API version are
/// accepted (<c>throwOnApiVersionMismatch: false</c>): billing reads fields that older versions carry too.
/// </summary>
public static class StripeWebhookSignature
{
    public const string HeaderName = "Stripe-Signature";

    public static WebhookVerification Verify(string? header, string body, IReadOnlyList<string> secrets, DateTimeOffset now, TimeSpan tolerance)
    {
        if (secrets.Count == 0) return new(SignatureCheck.NotConfigured, null);
        if (string.IsNullOrWhiteSpace(header)) return new(SignatureCheck.Missing, null);

        var utcNow = now.ToUnixTimeSeconds();
        foreach (var secret in secrets)
        {
            try
            {
                var evt = EventUtility.ConstructEvent(body, header, secret, (long)tolerance.TotalSeconds, utcNow, throwOnApiVersionMismatch: false);
                return StripeEvents.IsEvent(evt) ? new(SignatureCheck.Valid, evt) : new(SignatureCheck.NotAnEvent, null);
            }
            catch (Exception ex) when (ex is StripeException || IsUnreadableTimestamp(ex))
            {
                // Not this secret (or not in time, or a t= Stripe.net cannot read): the next secret, then the verdict below.
            }
            catch (Exception ex) when (StripeEvents.IsNotJson(ex))
            {
                return new(SignatureCheck.NotAnEvent, null); // signed by Stripe's secret, but not JSON of an event
            }
        }
        return new(SignedOutsideTolerance(header, body, secrets, utcNow) ? SignatureCheck.Stale : SignatureCheck.NoMatch, null);
    }

    /// <summary>A signature that matches when time is left out: authentic, but delivered too late (or too early) — a replay.</summary>
    private static bool SignedOutsideTolerance(string header, string body, IReadOnlyList<string> secrets, long utcNow)
    {
        foreach (var secret in secrets)
        {
            try
            {
                EventUtility.ValidateSignature(body, header, secret, long.MaxValue, utcNow);
                return true;
            }
            catch (Exception ex) when (ex is StripeException || IsUnreadableTimestamp(ex))
            {
                // Does not match with this secret either.
            }
        }
        return false;
    }

    /// <summary>Stripe.net reads <c>t=</c> as a 32-bit number once the signature matched: a signed but unreadable timestamp throws these.</summary>
    private static bool IsUnreadableTimestamp(Exception ex) => ex is FormatException or OverflowException;
}

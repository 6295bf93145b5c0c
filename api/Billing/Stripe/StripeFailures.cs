using System.Net;
using Stripe;

namespace Taskee.Api.Billing.Stripe;

/// <summary>
/// What a failed call to Stripe means once Stripe.net's own retries are spent: Stripe's answer
/// (<see cref="StripeException"/>), or no answer at all (connection failure, timeout).
/// </summary>
public static class StripeFailures
{
    /// <summary>A failure of the call to Stripe, not a cancellation by our caller.</summary>
    public static bool IsStripeFailure(Exception ex, CancellationToken ct) =>
        ex is StripeException or HttpRequestException || (ex is TaskCanceledException && !ct.IsCancellationRequested);

    /// <summary>True for what a later retry may fix: no answer, rate limiting or a lock, or Stripe's own failure.</summary>
    public static bool IsTransient(Exception ex, CancellationToken ct) => ex switch
    {
        StripeException stripe => stripe.HttpStatusCode is HttpStatusCode.TooManyRequests || (int)stripe.HttpStatusCode >= 500,
        _ => IsStripeFailure(ex, ct),
    };

    public static bool IsNotFound(this StripeException ex) => ex.HttpStatusCode == HttpStatusCode.NotFound;

    /// <summary>Stripe's error type and message, or that Stripe was not reached; for problem details and logs.</summary>
    public static string Describe(Exception ex) => ex is StripeException stripe
        ? $"{stripe.StripeError?.Type ?? "api_error"}{(stripe.StripeError?.Code is { } code ? $" ({code})" : "")}: {stripe.StripeError?.Message ?? $"HTTP {(int)stripe.HttpStatusCode}"}"
        : "api_connection_error: Stripe was not reached or did not answer in time";
}

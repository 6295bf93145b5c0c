using System.ComponentModel.DataAnnotations;

namespace Taskee.Api.Billing.Stripe;

/// <summary>Configuration section <c>Billing:Stripe</c>. Secrets here are never logged.</summary>
public sealed class StripeOptions
{
    public const string Section = "Billing:Stripe";

    /// <summary>Settings of the hand-written client; Stripe.net's retries wait 0.5 s doubling to 5 s by themselves. Given one, a node warns.</summary>
    public static readonly IReadOnlyList<string> Obsolete = ["Billing:Stripe:RetryBaseDelay"];

    /// <summary>
    /// Signing secrets of the webhook endpoint (<c>whsec_...</c>). Two during a rotation: a delivery signed with either
    /// is accepted. Environment: <c>Billing__Stripe__WebhookSecrets__0</c>, <c>__1</c>.
    /// </summary>
    public string[] WebhookSecrets { get; set; } = [];

    /// <summary>How far a signature's timestamp may be from now; older (or newer) deliveries are refused as replays.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00", ErrorMessage = "Billing:Stripe:Tolerance must be between 00:00:01 and 01:00:00 (default 00:05:00).")]
    public TimeSpan Tolerance { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Secret or restricted API key (<c>sk_...</c>, <c>rk_...</c>). Unset: no calls to Stripe (events are taken as delivered).</summary>
    public string? ApiKey { get; set; }

    /// <summary>Where Stripe's API is; tests point it at a fake on loopback.</summary>
    public string BaseUrl { get; set; } = "https://api.stripe.com";

    /// <summary>
    /// Stripe.net's network retries of a call that failed to connect or timed out, or that Stripe answered 409, 5xx or
    /// <c>Stripe-Should-Retry: true</c> (a lock timeout); back-off from 0.5 s doubling up to 5 s, with jitter.
    /// </summary>
    [Range(0, 10, ErrorMessage = "Billing:Stripe:MaxRetries must be between 0 and 10.")]
    public int MaxRetries { get; set; } = 3;

    /// <summary>Time limit of one call to Stripe.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:05:00", ErrorMessage = "Billing:Stripe:Timeout must be between 00:00:01 and 00:05:00.")]
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(30);

    public bool HasApiKey => !string.IsNullOrWhiteSpace(ApiKey);

    public IReadOnlyList<string> EffectiveWebhookSecrets => WebhookSecrets.Where(s => !string.IsNullOrWhiteSpace(s)).ToList();
}

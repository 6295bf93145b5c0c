using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Taskee.Grains.Storage;

namespace Taskee.Api.Ops;

/// <summary>One outgoing webhook endpoint's delivery queue on the dashboard.</summary>
/// <param name="Host">The URL's host only: a receiver's path or query may carry its token.</param>
/// <param name="DisabledReason">Set when the service disabled the endpoint (a message failed for the whole retry window).</param>
/// <param name="LastDeliveryAt">The queue's last attempt; <paramref name="LastOutcome"/> and <paramref name="LastStatusCode"/> say how it went.</param>
/// <param name="FailureStreak">Consecutive failed attempts; 0 after a success.</param>
/// <param name="Backlog">Events after the cursor that the endpoint's filter selects; exact when <paramref name="BacklogExact"/>, else a lower bound.</param>
/// <param name="LogBacklog">Events of the organisation's audit log after the cursor, selected or not.</param>
/// <param name="NextAttemptAt">When the failing head message is tried again; null when nothing waits for a retry.</param>
public sealed record OpsWebhookEndpoint(
    string WebhookId, string OrgId, string Host, bool Enabled, string? DisabledReason, DateTimeOffset? LastDeliveryAt, string? LastOutcome,
    int? LastStatusCode, int FailureStreak, long Backlog, bool BacklogExact, long LogBacklog, DateTimeOffset? NextAttemptAt);

/// <param name="Endpoints">The worst first (disabled by the service, longest failure streak, largest backlog), at most <paramref name="Limit"/>.</param>
public sealed record OpsWebhooks(DateTimeOffset At, int Limit, IReadOnlyList<OpsWebhookEndpoint> Endpoints);

/// <summary><c>GET /v1/ops/webhooks</c>: every organisation's outgoing webhook endpoints, worst first, for platform staff.</summary>
public static class OpsWebhookEndpoints
{
    public const int Limit = 50;

    public static async Task<Ok<OpsWebhooks>> GetAsync(IWebhookDeliveryStore store, TimeProvider clock, CancellationToken ct)
    {
        var health = await store.HealthAsync(Limit, ct);
        return TypedResults.Ok(new OpsWebhooks(clock.GetUtcNow(), Limit, health.Select(h => new OpsWebhookEndpoint(h.WebhookId, h.OrgId, HostOf(h.Url),
            h.Enabled, h.DisabledReason, h.LastDeliveryAt, h.LastOutcome, h.LastStatusCode, h.FailureStreak, h.Backlog, h.BacklogExact, h.LogBacklog,
            h.NextAttemptAt)).ToList()));
    }

    /// <summary>The host of a stored URL (never its user info, path or query); stored URLs were checked absolute when set.</summary>
    private static string HostOf(string url) => Uri.TryCreate(url, UriKind.Absolute, out var uri) ? uri.Host : "(invalid URL)";
}

using Taskee.Api.Infrastructure;
using Taskee.Grains.Interfaces;

namespace Taskee.Api.Webhooks;

/// <summary>One attempt to deliver one message.</summary>
/// <param name="MessageId">The <c>webhook-id</c> header sent: the same for every attempt, redelivery and replay of an event.</param>
/// <param name="Trigger">log (first attempt), retry, redeliver, replay or test.</param>
/// <param name="Outcome">succeeded (2xx), failed (another status; redirects are not followed), timeout, refused (no connection) or blocked (target not allowed).</param>
/// <param name="ResponseExcerpt">The first 1 KB of the receiver's answer, as text.</param>
/// <param name="NextAttemptAt">When the queue tries this message again; null when it will not.</param>
public sealed record WebhookDeliveryResponse(
    string Id, string WebhookId, string MessageId, string EventType, string? EventId, long? EventSeq, int Attempt, string Trigger,
    DateTimeOffset At, string Outcome, int? StatusCode, long LatencyMs, string? ResponseExcerpt, string? Error, DateTimeOffset? NextAttemptAt)
{
    public static WebhookDeliveryResponse From(WebhookDelivery d) => new(d.Id, d.WebhookId, d.MessageId, d.EventType, d.EventId, d.EventSeq,
        d.Attempt, d.Trigger, d.At, d.Outcome, d.StatusCode, d.LatencyMs, d.ResponseExcerpt, d.Error, d.NextAttemptAt);
}

/// <summary>A page of attempts, newest first; pass <see cref="Next"/> as <c>after</c> for older ones. Next is null at the end.</summary>
public sealed record WebhookDeliveryPage(IReadOnlyList<WebhookDeliveryResponse> Items, string? Next);

/// <summary>Re-send every event the endpoint's filter selects, committed at or after <see cref="From"/>.</summary>
public sealed record WebhookReplayRequest(DateTimeOffset? From) : IValidatable
{
    public void Validate(ValidationErrors errors)
    {
        if (From is null) errors.Add("from", "from is required: an ISO 8601 instant, e.g. 2025-01-31T12:00:00Z.");
    }
}

/// <summary>The replay accepted: the endpoint goes over <see cref="Rewound"/> events of the log again, in order, from <see cref="From"/>.</summary>
public sealed record WebhookReplayResponse(string WebhookId, DateTimeOffset From, long Rewound);

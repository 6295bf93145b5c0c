using Taskee.Grains.Interfaces;

namespace Taskee.Grains.Storage;

/// <summary>
/// The delivery queue of webhook endpoints and their attempts. Only an endpoint's own grain moves its queue; every queue
/// write names the cursor it read (<c>expectedCursor</c>), so a write that lost a race with a replay (or with a brief
/// second activation) changes nothing and the grain reads the queue again. Reads for the API name the organisation.
/// </summary>
public interface IWebhookDeliveryStore
{
    /// <summary>The endpoint and its queue; null when it was deleted.</summary>
    Task<WebhookQueue?> GetQueueAsync(string webhookId, CancellationToken ct = default);

    /// <summary>Moves the cursor over events the filter does not select; false when the cursor is no longer <paramref name="expectedCursor"/>.</summary>
    Task<bool> SkipAsync(string webhookId, long expectedCursor, long toSeq, CancellationToken ct = default);

    /// <summary>
    /// Records a successful attempt of the head message and moves the cursor past it (<see cref="WebhookDelivery.EventSeq"/>)
    /// in the same write; clears the retry state. False when the cursor moved meanwhile (the attempt is recorded all the same).
    /// </summary>
    Task<bool> RecordDeliveredAsync(WebhookDelivery attempt, long expectedCursor, CancellationToken ct = default);

    /// <summary>
    /// Records a failed attempt of the head message: the queue keeps the cursor, counts the attempt, remembers since when the
    /// head fails and waits until <see cref="WebhookDelivery.NextAttemptAt"/>.
    /// </summary>
    Task<bool> RecordFailedAsync(WebhookDelivery attempt, long expectedCursor, DateTimeOffset failingSince, CancellationToken ct = default);

    /// <summary>
    /// Records the last failed attempt of a head that failed for the whole retry window and disables the endpoint with
    /// <paramref name="reason"/>, auditing <paramref name="audit"/> (by the system) in the same transaction. The cursor stays.
    /// </summary>
    Task<bool> DisableAsync(WebhookDelivery attempt, long expectedCursor, DateTimeOffset failingSince, string reason, AuditRecord audit,
        CancellationToken ct = default);

    /// <summary>Records an attempt outside the queue (a test message or a redelivery) with its audit event.</summary>
    Task RecordOutOfQueueAsync(WebhookDelivery attempt, AuditRecord audit, ChangeContext context, CancellationToken ct = default);

    /// <summary>
    /// Moves the cursor back to just before the first event of the organisation's chain at or after <paramref name="from"/>
    /// (never forward), clears the retry state and audits the rewind in the same transaction.
    /// </summary>
    /// <returns>The rewind, or null when the organisation has no such endpoint.</returns>
    Task<WebhookReplay?> ReplayAsync(string orgId, string webhookId, DateTimeOffset from, Func<WebhookReplay, AuditRecord> audit,
        ChangeContext context, CancellationToken ct = default);

    /// <summary>
    /// Enabled endpoints with work (the cursor is behind the chain head and no retry is pending, or a retry is due), by id,
    /// those after <paramref name="afterId"/> when given.
    /// </summary>
    Task<IReadOnlyList<string>> DueAsync(DateTimeOffset now, string? afterId, int limit, CancellationToken ct = default);

    /// <summary>Endpoints the service disabled (a message failed for the whole retry window) and nobody enabled since.</summary>
    Task<long> CountDisabledAsync(CancellationToken ct = default);

    /// <summary>One endpoint's attempts, newest first, those older than <paramref name="beforeId"/> when given.</summary>
    Task<IReadOnlyList<WebhookDelivery>> ListAsync(string orgId, string webhookId, string? beforeId, int limit, CancellationToken ct = default);

    Task<WebhookDelivery?> FindAsync(string orgId, string webhookId, string deliveryId, CancellationToken ct = default);

    /// <summary>Every endpoint's queue health, the worst first (disabled, longest failure streak, largest backlog), at most <paramref name="limit"/>.</summary>
    Task<IReadOnlyList<WebhookQueueHealth>> HealthAsync(int limit, CancellationToken ct = default);
}

/// <summary>An endpoint with its delivery queue.</summary>
/// <param name="CursorSeq">The last event of the chain the endpoint is done with (delivered or not selected).</param>
/// <param name="HeadAttempts">Failed attempts of the head message (the event after the cursor) so far.</param>
/// <param name="FailingSince">When the head's first failed attempt was made; null while it has not failed.</param>
/// <param name="ReplayThroughSeq">After a replay, events up to here are sent again.</param>
public sealed record WebhookQueue(
    WebhookEndpoint Endpoint, long CursorSeq, int HeadAttempts, DateTimeOffset? FailingSince, DateTimeOffset? NextAttemptAt,
    long? ReplayThroughSeq, int FailureStreak);

/// <summary>What a replay did: the cursor moved from <paramref name="PreviousCursor"/> back to <paramref name="Cursor"/>.</summary>
public sealed record WebhookReplay(string WebhookId, DateTimeOffset From, long PreviousCursor, long Cursor)
{
    /// <summary>How many events of the chain the endpoint goes over again (those its filter selects are sent).</summary>
    public long Rewound => PreviousCursor - Cursor;
}

/// <summary>One endpoint as the operators' dashboard shows it.</summary>
/// <param name="Url">The URL as stored; its path and query may hold a receiver's token, so only its host is ever shown.</param>
/// <param name="LogBacklog">Events of the organisation's chain after the endpoint's cursor, selected by its filter or not.</param>
/// <param name="Backlog">
/// Of those, the events the filter selects: exact when <paramref name="BacklogExact"/>; otherwise counted over the first
/// <see cref="BacklogScan"/> events after the cursor only, so a lower bound.
/// </param>
public sealed record WebhookQueueHealth(
    string WebhookId, string OrgId, string Url, bool Enabled, string? DisabledReason, DateTimeOffset? LastDeliveryAt, string? LastOutcome,
    int? LastStatusCode, int FailureStreak, long LogBacklog, long Backlog, bool BacklogExact, DateTimeOffset? NextAttemptAt)
{
    /// <summary>How many events after a cursor the health query reads to count the selected ones (bounds its cost per endpoint).</summary>
    public const int BacklogScan = 10_000;
}

using System.Data.Common;
using System.Text.Json;
using Dapper;
using Taskee.Grains.Interfaces;
using Taskee.Grains.Storage;

namespace Taskee.Silo.Storage;

/// <summary>
/// The queue columns of <c>webhook_endpoints</c> and the <c>webhook_deliveries</c> attempts. A queue write is conditional
/// on the cursor its grain read; its attempt row is written in the same transaction, so "delivered" and "cursor moved"
/// are never apart.
/// </summary>
public sealed class SqlWebhookDeliveryStore(SqlDialect dialect, TimeProvider clock) : SqlStore(dialect), IWebhookDeliveryStore
{
    private const string DeliveryColumns = """
        id, webhook_id, org_id, message_id, event_type, event_id, event_seq, attempt, trigger_kind, at, outcome, status_code,
        latency_ms, response_excerpt, error, next_attempt_at
        """;

    private static readonly ChangeContext ByTheService = new(AuditActor.System, null, null);

    private sealed class QueueRow : SqlWebhookStore.EndpointRow
    {
        public long CursorSeq { get; set; }
        public long HeadAttempts { get; set; }
        public string? FailingSince { get; set; }
        public string? NextAttemptAt { get; set; }
        public long? ReplayThroughSeq { get; set; }
        public long FailureStreak { get; set; }

        public WebhookQueue ToQueue() => new(ToRecord(), CursorSeq, (int)HeadAttempts, Iso.ParseOrNull(FailingSince),
            Iso.ParseOrNull(NextAttemptAt), ReplayThroughSeq, (int)FailureStreak);
    }

    private sealed class DeliveryRow
    {
        public string Id { get; set; } = "";
        public string WebhookId { get; set; } = "";
        public string OrgId { get; set; } = "";
        public string MessageId { get; set; } = "";
        public string EventType { get; set; } = "";
        public string? EventId { get; set; }
        public long? EventSeq { get; set; }
        public long Attempt { get; set; }
        public string TriggerKind { get; set; } = "";
        public string At { get; set; } = "";
        public string Outcome { get; set; } = "";
        public long? StatusCode { get; set; }
        public long LatencyMs { get; set; }
        public string? ResponseExcerpt { get; set; }
        public string? Error { get; set; }
        public string? NextAttemptAt { get; set; }

        public WebhookDelivery ToRecord() => new(Id, WebhookId, OrgId, MessageId, EventType, EventId, EventSeq, (int)Attempt, TriggerKind,
            Iso.Parse(At), Outcome, StatusCode is { } code ? (int)code : null, LatencyMs, ResponseExcerpt, Error, Iso.ParseOrNull(NextAttemptAt));
    }

    private sealed class CursorRow
    {
        public long CursorSeq { get; set; }
        public long? ReplayThroughSeq { get; set; }
    }

    private sealed class HealthRow
    {
        public string Id { get; set; } = "";
        public string OrgId { get; set; } = "";
        public string Url { get; set; } = "";
        public string Events { get; set; } = "[]";
        public long CursorSeq { get; set; }
        public long Enabled { get; set; }
        public string? DisabledReason { get; set; }
        public string? LastDeliveryAt { get; set; }
        public string? LastOutcome { get; set; }
        public long? LastStatusCode { get; set; }
        public long FailureStreak { get; set; }
        public long Backlog { get; set; }
        public string? NextAttemptAt { get; set; }
    }

    private sealed class ActionCount
    {
        public string Action { get; set; } = "";
        public long Count { get; set; }
    }

    public async Task<WebhookQueue?> GetQueueAsync(string webhookId, CancellationToken ct = default)
    {
        await using var connection = await OpenAsync(ct);
        var row = await connection.QuerySingleOrDefaultAsync<QueueRow>(new CommandDefinition(
            $"""
             SELECT {SqlWebhookStore.Columns}, cursor_seq, head_attempts, failing_since, next_attempt_at, replay_through_seq, failure_streak
             FROM webhook_endpoints WHERE id = @webhookId
             """, new { webhookId }, cancellationToken: ct));
        return row?.ToQueue();
    }

    public async Task<bool> SkipAsync(string webhookId, long expectedCursor, long toSeq, CancellationToken ct = default)
    {
        await using var connection = await OpenAsync(ct);
        return await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE webhook_endpoints SET cursor_seq = @toSeq WHERE id = @webhookId AND cursor_seq = @expectedCursor",
            new { webhookId, expectedCursor, toSeq }, cancellationToken: ct)) == 1;
    }

    public Task<bool> RecordDeliveredAsync(WebhookDelivery attempt, long expectedCursor, CancellationToken ct = default) =>
        InTransactionAsync((connection, transaction) => MoveQueueAsync(connection, transaction, attempt, expectedCursor, """
            UPDATE webhook_endpoints
            SET cursor_seq = @EventSeq, head_attempts = 0, failing_since = NULL, next_attempt_at = NULL, failure_streak = 0,
                last_delivery_at = @At, last_outcome = @Outcome, last_status_code = @StatusCode
            WHERE id = @WebhookId AND cursor_seq = @expectedCursor
            """, new { attempt.EventSeq }), ct);

    public Task<bool> RecordFailedAsync(WebhookDelivery attempt, long expectedCursor, DateTimeOffset failingSince, CancellationToken ct = default) =>
        InTransactionAsync((connection, transaction) => MoveQueueAsync(connection, transaction, attempt, expectedCursor, """
            UPDATE webhook_endpoints
            SET head_attempts = @Attempt, failing_since = @failingSince, next_attempt_at = @NextAttemptAt, failure_streak = failure_streak + 1,
                last_delivery_at = @At, last_outcome = @Outcome, last_status_code = @StatusCode
            WHERE id = @WebhookId AND cursor_seq = @expectedCursor
            """, new { failingSince = Iso.ToText(failingSince) }), ct);

    public Task<bool> DisableAsync(WebhookDelivery attempt, long expectedCursor, DateTimeOffset failingSince, string reason, AuditRecord audit,
        CancellationToken ct = default) =>
        InTransactionAsync(async (connection, transaction) =>
        {
            var moved = await MoveQueueAsync(connection, transaction, attempt, expectedCursor, """
                UPDATE webhook_endpoints
                SET enabled = 0, disabled_reason = @reason, version = version + 1, updated_at = @At,
                    head_attempts = @Attempt, failing_since = @failingSince, next_attempt_at = NULL, failure_streak = failure_streak + 1,
                    last_delivery_at = @At, last_outcome = @Outcome, last_status_code = @StatusCode
                WHERE id = @WebhookId AND cursor_seq = @expectedCursor AND enabled = 1
                """, new { reason, failingSince = Iso.ToText(failingSince) });
            if (moved) await AuditAppender.AppendAsync(connection, transaction, Dialect, attempt.OrgId, audit, ByTheService, attempt.At);
            return moved;
        }, ct);

    public Task RecordOutOfQueueAsync(WebhookDelivery attempt, AuditRecord audit, ChangeContext context, CancellationToken ct = default) =>
        InTransactionAsync(async (connection, transaction) =>
        {
            await InsertAsync(connection, transaction, attempt);
            await AuditAppender.AppendAsync(connection, transaction, Dialect, attempt.OrgId, audit, context, clock.GetUtcNow());
            return true;
        }, ct);

    public Task<WebhookReplay?> ReplayAsync(string orgId, string webhookId, DateTimeOffset from, Func<WebhookReplay, AuditRecord> audit,
        ChangeContext context, CancellationToken ct = default) =>
        InTransactionAsync<WebhookReplay?>(async (connection, transaction) =>
        {
            var queue = await connection.QuerySingleOrDefaultAsync<CursorRow>(
                $"SELECT cursor_seq, replay_through_seq FROM webhook_endpoints WHERE id = @webhookId AND org_id = @orgId{Dialect.ForUpdate}",
                new { webhookId, orgId }, transaction);
            if (queue is null) return null;
            var first = await connection.QuerySingleOrDefaultAsync<long?>(
                "SELECT MIN(seq) FROM audit_events WHERE org_id = @orgId AND at >= @from", new { orgId, from = Iso.ToText(from) }, transaction);
            // Only back: events after the cursor are still to come anyway.
            var replay = new WebhookReplay(webhookId, from, queue.CursorSeq, first is { } seq ? Math.Min(queue.CursorSeq, seq - 1) : queue.CursorSeq);
            if (replay.Rewound > 0)
            {
                await connection.ExecuteAsync("""
                    UPDATE webhook_endpoints
                    SET cursor_seq = @cursor, replay_through_seq = @through, head_attempts = 0, failing_since = NULL, next_attempt_at = NULL
                    WHERE id = @webhookId
                    """, new { webhookId, cursor = replay.Cursor, through = Math.Max(queue.ReplayThroughSeq ?? 0, queue.CursorSeq) }, transaction);
            }
            await AuditAppender.AppendAsync(connection, transaction, Dialect, orgId, audit(replay), context, clock.GetUtcNow());
            return replay;
        }, ct);

    public async Task<IReadOnlyList<string>> DueAsync(DateTimeOffset now, string? afterId, int limit, CancellationToken ct = default)
    {
        const string sql = """
            SELECT e.id FROM webhook_endpoints e JOIN audit_chains c ON c.chain_id = e.org_id
            WHERE e.enabled = 1 AND ((e.next_attempt_at IS NULL AND c.seq > e.cursor_seq) OR e.next_attempt_at <= @now)
              AND (@afterId IS NULL OR e.id > @afterId)
            ORDER BY e.id
            LIMIT @limit
            """;
        await using var connection = await OpenAsync(ct);
        return (await connection.QueryAsync<string>(new CommandDefinition(sql, new { now = Iso.ToText(now), afterId, limit }, cancellationToken: ct))).ToList();
    }

    public async Task<long> CountDisabledAsync(CancellationToken ct = default)
    {
        await using var connection = await OpenAsync(ct);
        return await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            "SELECT COUNT(*) FROM webhook_endpoints WHERE enabled = 0 AND disabled_reason IS NOT NULL", cancellationToken: ct));
    }

    public async Task<IReadOnlyList<WebhookDelivery>> ListAsync(string orgId, string webhookId, string? beforeId, int limit, CancellationToken ct = default)
    {
        var sql = $"""
            SELECT {DeliveryColumns} FROM webhook_deliveries
            WHERE webhook_id = @webhookId AND org_id = @orgId AND (@beforeId IS NULL OR id < @beforeId)
            ORDER BY id DESC
            LIMIT @limit
            """;
        await using var connection = await OpenAsync(ct);
        var rows = await connection.QueryAsync<DeliveryRow>(new CommandDefinition(sql, new { orgId, webhookId, beforeId, limit }, cancellationToken: ct));
        return rows.Select(r => r.ToRecord()).ToList();
    }

    public async Task<WebhookDelivery?> FindAsync(string orgId, string webhookId, string deliveryId, CancellationToken ct = default)
    {
        await using var connection = await OpenAsync(ct);
        var row = await connection.QuerySingleOrDefaultAsync<DeliveryRow>(new CommandDefinition(
            $"SELECT {DeliveryColumns} FROM webhook_deliveries WHERE id = @deliveryId AND webhook_id = @webhookId AND org_id = @orgId",
            new { deliveryId, webhookId, orgId }, cancellationToken: ct));
        return row?.ToRecord();
    }

    public async Task<IReadOnlyList<WebhookQueueHealth>> HealthAsync(int limit, CancellationToken ct = default)
    {
        const string sql = """
            SELECT e.id, e.org_id, e.url, e.events, e.cursor_seq, e.enabled, e.disabled_reason, e.last_delivery_at, e.last_outcome,
                   e.last_status_code, e.failure_streak, COALESCE(c.seq, 0) - e.cursor_seq AS backlog, e.next_attempt_at
            FROM webhook_endpoints e LEFT JOIN audit_chains c ON c.chain_id = e.org_id
            ORDER BY CASE WHEN e.disabled_reason IS NULL THEN 0 ELSE 1 END DESC, e.failure_streak DESC, backlog DESC, e.id
            LIMIT @limit
            """;
        // Chain positions are consecutive, so the scan window is a range of the primary key (org_id, seq).
        const string selected = """
            SELECT action, COUNT(*) AS count FROM audit_events
            WHERE org_id = @OrgId AND seq > @CursorSeq AND seq <= @CursorSeq + @scan
            GROUP BY action
            """;
        await using var connection = await OpenAsync(ct);
        var rows = await connection.QueryAsync<HealthRow>(new CommandDefinition(sql, new { limit }, cancellationToken: ct));
        var health = new List<WebhookQueueHealth>();
        foreach (var r in rows)
        {
            long matching = 0;
            if (r.Backlog > 0)
            {
                var filters = JsonSerializer.Deserialize<string[]>(r.Events) ?? [];
                var counts = await connection.QueryAsync<ActionCount>(new CommandDefinition(selected,
                    new { r.OrgId, r.CursorSeq, scan = WebhookQueueHealth.BacklogScan }, cancellationToken: ct));
                matching = counts.Where(c => WebhookEventFilter.Matches(filters, c.Action)).Sum(c => c.Count);
            }
            health.Add(new WebhookQueueHealth(r.Id, r.OrgId, r.Url, r.Enabled != 0, r.DisabledReason, Iso.ParseOrNull(r.LastDeliveryAt),
                r.LastOutcome, r.LastStatusCode is { } code ? (int)code : null, (int)r.FailureStreak, r.Backlog, matching,
                r.Backlog <= WebhookQueueHealth.BacklogScan, Iso.ParseOrNull(r.NextAttemptAt)));
        }
        return health;
    }

    /// <summary>
    /// Runs <paramref name="update"/> (conditional on the cursor) and records the attempt; no attempt row for an endpoint
    /// deleted meanwhile, whose attempts went with it.
    /// </summary>
    private static async Task<bool> MoveQueueAsync(DbConnection connection, DbTransaction transaction, WebhookDelivery attempt, long expectedCursor,
        string update, object extra)
    {
        var parameters = new DynamicParameters(extra);
        parameters.AddDynamicParams(new
        {
            attempt.WebhookId, attempt.Attempt, At = Iso.ToText(attempt.At), attempt.Outcome, attempt.StatusCode,
            NextAttemptAt = Iso.ToText(attempt.NextAttemptAt), expectedCursor,
        });
        var moved = await connection.ExecuteAsync(update, parameters, transaction) == 1;
        if (!moved && await connection.QuerySingleOrDefaultAsync<string>(
                "SELECT id FROM webhook_endpoints WHERE id = @WebhookId", new { attempt.WebhookId }, transaction) is null) return false;
        await InsertAsync(connection, transaction, attempt);
        return moved;
    }

    private static Task InsertAsync(DbConnection connection, DbTransaction transaction, WebhookDelivery d) =>
        connection.ExecuteAsync($"""
            INSERT INTO webhook_deliveries ({DeliveryColumns})
            VALUES (@Id, @WebhookId, @OrgId, @MessageId, @EventType, @EventId, @EventSeq, @Attempt, @Trigger, @At, @Outcome, @StatusCode,
                    @LatencyMs, @ResponseExcerpt, @Error, @NextAttemptAt)
            """, new
        {
            d.Id, d.WebhookId, d.OrgId, d.MessageId, d.EventType, d.EventId, d.EventSeq, d.Attempt, d.Trigger, At = Iso.ToText(d.At), d.Outcome,
            d.StatusCode, d.LatencyMs, d.ResponseExcerpt, d.Error, NextAttemptAt = Iso.ToText(d.NextAttemptAt),
        }, transaction);
}

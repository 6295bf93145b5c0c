using System.Data.Common;
using Dapper;
using Taskee.Grains.Storage;

namespace Taskee.Silo.Storage;

public sealed class SqlStripeEventStore(SqlDialect dialect) : SqlStore(dialect), IStripeEventStore
{
    private const string Columns =
        "id, type, created_at, payload, customer_id, status, attempts, received_at, next_attempt_at, processed_at, org_id, detail";

    private sealed class EventRow
    {
        public string Id { get; set; } = "";
        public string Type { get; set; } = "";
        public string CreatedAt { get; set; } = "";
        public string Payload { get; set; } = "";
        public string? CustomerId { get; set; }
        public string Status { get; set; } = "";
        public long Attempts { get; set; }
        public string ReceivedAt { get; set; } = "";
        public string NextAttemptAt { get; set; } = "";
        public string? ProcessedAt { get; set; }
        public string? OrgId { get; set; }
        public string? Detail { get; set; }

        public StripeEventRecord ToRecord() => new(Id, Type, Iso.Parse(CreatedAt), Payload, CustomerId, Status, (int)Attempts,
            Iso.Parse(ReceivedAt), Iso.Parse(NextAttemptAt), Iso.ParseOrNull(ProcessedAt), OrgId, Detail);
    }

    public async Task<bool> AddAsync(StripeEventRecord record, CancellationToken ct = default)
    {
        const string insert = $"""
            INSERT INTO stripe_events ({Columns})
            VALUES (@Id, @Type, @CreatedAt, @Payload, @CustomerId, @Status, @Attempts, @ReceivedAt, @NextAttemptAt, @ProcessedAt, @OrgId, @Detail)
            ON CONFLICT (id) DO NOTHING
            """;
        await using var connection = await OpenAsync(ct);
        var inserted = await connection.ExecuteAsync(new CommandDefinition(insert, new
        {
            record.Id, record.Type, CreatedAt = Iso.ToText(record.Created), record.Payload, record.CustomerId, record.Status,
            record.Attempts, ReceivedAt = Iso.ToText(record.ReceivedAt), NextAttemptAt = Iso.ToText(record.NextAttemptAt),
            ProcessedAt = Iso.ToText(record.ProcessedAt), record.OrgId, record.Detail,
        }, cancellationToken: ct));
        return inserted == 1;
    }

    public async Task<IReadOnlyList<StripeEventRecord>> ClaimDueAsync(
        string holder, DateTimeOffset now, TimeSpan lease, int limit, CancellationToken ct = default)
    {
        // The outer conditions repeat the inner ones: on PostgreSQL a row another node claimed meanwhile is re-checked
        // after its lock is released and skipped, so no event is claimed twice.
        const string claim = $"""
            UPDATE stripe_events SET locked_by = @holder, locked_until = @until, attempts = attempts + 1
            WHERE id IN (
                SELECT id FROM stripe_events
                WHERE status = 'pending' AND next_attempt_at <= @now AND (locked_until IS NULL OR locked_until <= @now)
                ORDER BY created_at, id
                LIMIT @limit)
              AND status = 'pending' AND (locked_until IS NULL OR locked_until <= @now)
            RETURNING {Columns}
            """;
        await using var connection = await OpenAsync(ct);
        var rows = await connection.QueryAsync<EventRow>(new CommandDefinition(claim,
            new { holder, until = Iso.ToText(now + lease), now = Iso.ToText(now), limit }, cancellationToken: ct));
        return rows.Select(r => r.ToRecord()).OrderBy(r => r.Created).ThenBy(r => r.Id, StringComparer.Ordinal).ToList();
    }

    public async Task FinishAsync(string id, string status, string? orgId, string? detail, string? waitingFor, DateTimeOffset now, CancellationToken ct = default)
    {
        const string finish = """
            UPDATE stripe_events
            SET status = @status, org_id = @orgId, detail = @detail, waiting_for = @waitingFor, processed_at = @now, locked_by = NULL, locked_until = NULL
            WHERE id = @id
            """;
        await using var connection = await OpenAsync(ct);
        await connection.ExecuteAsync(new CommandDefinition(finish, new { id, status, orgId, detail, waitingFor, now = Iso.ToText(now) }, cancellationToken: ct));
    }

    public async Task RetryAsync(string id, DateTimeOffset nextAttemptAt, string error, CancellationToken ct = default)
    {
        const string retry = """
            UPDATE stripe_events SET next_attempt_at = @next, detail = @error, locked_by = NULL, locked_until = NULL
            WHERE id = @id AND status = 'pending'
            """;
        await using var connection = await OpenAsync(ct);
        await connection.ExecuteAsync(new CommandDefinition(retry, new { id, next = Iso.ToText(nextAttemptAt), error }, cancellationToken: ct));
    }

    public async Task<int> RequeueUnmatchedAsync(IReadOnlyCollection<string> objectIds, DateTimeOffset now, CancellationToken ct = default)
    {
        const string requeue = """
            UPDATE stripe_events SET status = 'pending', next_attempt_at = @now, processed_at = NULL, waiting_for = NULL
            WHERE waiting_for = @objectId AND status = 'unmatched'
            """;
        await using var connection = await OpenAsync(ct);
        var requeued = 0;
        foreach (var objectId in objectIds.Distinct(StringComparer.Ordinal))
        {
            requeued += await connection.ExecuteAsync(new CommandDefinition(requeue, new { objectId, now = Iso.ToText(now) }, cancellationToken: ct));
        }
        return requeued;
    }

    public async Task<StripeEventRecord?> GetAsync(string id, CancellationToken ct = default)
    {
        await using var connection = await OpenAsync(ct);
        var row = await connection.QuerySingleOrDefaultAsync<EventRow>(new CommandDefinition(
            $"SELECT {Columns} FROM stripe_events WHERE id = @id", new { id }, cancellationToken: ct));
        return row?.ToRecord();
    }

    public async Task<int> CountDueAsync(DateTimeOffset now, CancellationToken ct = default)
    {
        await using var connection = await OpenAsync(ct);
        return (int)await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            "SELECT COUNT(*) FROM stripe_events WHERE status = 'pending' AND next_attempt_at <= @now",
            new { now = Iso.ToText(now) }, cancellationToken: ct));
    }
}

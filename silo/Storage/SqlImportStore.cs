using Dapper;
using Taskee.Grains.Interfaces;
using Taskee.Grains.Storage;

namespace Taskee.Silo.Storage;

public sealed class SqlImportStore(SqlDialect dialect) : SqlStore(dialect), IImportStore
{
    private const string Columns =
        "id, status, dry_run, format, input_bytes, total_rows, rows_created, rows_updated, rows_unchanged, rows_rejected, "
        + "created_by, created_at, started_at, finished_at, error";

    private sealed class JobRow
    {
        public string Id { get; set; } = "";
        public string Status { get; set; } = "";
        public long DryRun { get; set; }
        public string Format { get; set; } = "";
        public long InputBytes { get; set; }
        public long TotalRows { get; set; }
        public long RowsCreated { get; set; }
        public long RowsUpdated { get; set; }
        public long RowsUnchanged { get; set; }
        public long RowsRejected { get; set; }
        public string CreatedBy { get; set; } = "";
        public string CreatedAt { get; set; } = "";
        public string? StartedAt { get; set; }
        public string? FinishedAt { get; set; }
        public string? Error { get; set; }

        public ImportJob ToJob() => new(Id, Status, DryRun != 0, Format, InputBytes, TotalRows,
            new ImportJobCounts(RowsCreated, RowsUpdated, RowsUnchanged, RowsRejected), CreatedBy, Iso.Parse(CreatedAt),
            Iso.ParseOrNull(StartedAt), Iso.ParseOrNull(FinishedAt), Error);
    }

    public async Task AppendInputAsync(string importId, long seq, byte[] data, CancellationToken ct = default)
    {
        await using var connection = await OpenAsync(ct);
        await connection.ExecuteAsync(new CommandDefinition(
            "INSERT INTO import_input (import_id, seq, data) VALUES (@importId, @seq, @data)", new { importId, seq, data }, cancellationToken: ct));
    }

    public async Task DiscardInputAsync(string importId, CancellationToken ct = default)
    {
        await using var connection = await OpenAsync(ct);
        await connection.ExecuteAsync(new CommandDefinition("DELETE FROM import_input WHERE import_id = @importId", new { importId }, cancellationToken: ct));
    }

    public Task CreateAsync(ImportJob job, AuditRecord audit, ChangeContext context, CancellationToken ct = default) =>
        InTransactionAsync(async (connection, transaction) =>
        {
            const string insert = $"""
                INSERT INTO imports ({Columns}, locked_by, locked_until)
                VALUES (@Id, @Status, @DryRun, @Format, @InputBytes, @TotalRows, 0, 0, 0, 0, @CreatedBy, @CreatedAt, NULL, NULL, NULL, NULL, NULL)
                """;
            await connection.ExecuteAsync(insert, new
            {
                job.Id, job.Status, DryRun = job.DryRun ? 1L : 0L, job.Format, job.InputBytes, job.TotalRows, job.CreatedBy,
                CreatedAt = Iso.ToText(job.CreatedAt),
            }, transaction);
            await AuditAppender.AppendAsync(connection, transaction, Dialect, AuditEvent.PlatformChain, audit, context, job.CreatedAt);
            return true;
        }, ct);

    public async Task<ImportJob?> GetAsync(string importId, CancellationToken ct = default)
    {
        await using var connection = await OpenAsync(ct);
        var row = await connection.QuerySingleOrDefaultAsync<JobRow>(new CommandDefinition(
            $"SELECT {Columns} FROM imports WHERE id = @importId", new { importId }, cancellationToken: ct));
        return row?.ToJob();
    }

    public async Task<byte[]?> ReadInputAsync(string importId, long seq, CancellationToken ct = default)
    {
        await using var connection = await OpenAsync(ct);
        return await connection.QuerySingleOrDefaultAsync<byte[]>(new CommandDefinition(
            "SELECT data FROM import_input WHERE import_id = @importId AND seq = @seq", new { importId, seq }, cancellationToken: ct));
    }

    public async Task<ImportJob?> ClaimNextAsync(string holder, DateTimeOffset now, TimeSpan lease, CancellationToken ct = default)
    {
        // The outer conditions repeat the inner ones: on PostgreSQL a job another node claimed meanwhile is re-checked
        // after its lock is released and skipped.
        const string claim = $"""
            UPDATE imports SET status = 'running', locked_by = @holder, locked_until = @until, started_at = COALESCE(started_at, @now)
            WHERE id = (
                SELECT id FROM imports
                WHERE status IN ('queued', 'running') AND (locked_until IS NULL OR locked_until <= @now)
                ORDER BY created_at, id
                LIMIT 1)
              AND status IN ('queued', 'running') AND (locked_until IS NULL OR locked_until <= @now)
            RETURNING {Columns}
            """;
        await using var connection = await OpenAsync(ct);
        var row = await connection.QuerySingleOrDefaultAsync<JobRow>(new CommandDefinition(claim,
            new { holder, until = Iso.ToText(now + lease), now = Iso.ToText(now) }, cancellationToken: ct));
        return row?.ToJob();
    }

    public async Task<IReadOnlySet<long>> RecordedLinesAsync(string importId, CancellationToken ct = default)
    {
        await using var connection = await OpenAsync(ct);
        var lines = await connection.QueryAsync<long>(new CommandDefinition(
            "SELECT line FROM import_rows WHERE import_id = @importId", new { importId }, cancellationToken: ct));
        return lines.ToHashSet();
    }

    public Task<bool> CheckpointAsync(string importId, string holder, IReadOnlyList<ImportJobRow> rows, DateTimeOffset now, TimeSpan lease,
        CancellationToken ct = default) =>
        InTransactionAsync(async (connection, transaction) =>
        {
            if (await connection.ExecuteAsync("UPDATE imports SET locked_until = @until WHERE id = @importId AND locked_by = @holder AND status = 'running'",
                    new { until = Iso.ToText(now + lease), importId, holder }, transaction) == 0)
                return false;
            // A row recorded before (by a run that crashed after the write) is neither recorded nor counted again.
            var added = new Dictionary<string, long>(StringComparer.Ordinal);
            foreach (var group in rows.GroupBy(r => r.Outcome, StringComparer.Ordinal))
            {
                added[group.Key] = await connection.ExecuteAsync(
                    "INSERT INTO import_rows (import_id, line, outcome, reason) VALUES (@importId, @Line, @Outcome, @Reason) ON CONFLICT (import_id, line) DO NOTHING",
                    group.Select(r => new { importId, r.Line, r.Outcome, r.Reason }), transaction);
            }
            await connection.ExecuteAsync("""
                UPDATE imports SET rows_created = rows_created + @created, rows_updated = rows_updated + @updated,
                                   rows_unchanged = rows_unchanged + @unchanged, rows_rejected = rows_rejected + @rejected
                WHERE id = @importId
                """, new
            {
                importId, created = added.GetValueOrDefault("created"), updated = added.GetValueOrDefault("updated"),
                unchanged = added.GetValueOrDefault("unchanged"), rejected = added.GetValueOrDefault("rejected"),
            }, transaction);
            return true;
        }, ct);

    public async Task ReleaseAsync(string importId, string holder, CancellationToken ct = default)
    {
        await using var connection = await OpenAsync(ct);
        await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE imports SET locked_by = NULL, locked_until = NULL WHERE id = @importId AND locked_by = @holder AND status = 'running'",
            new { importId, holder }, cancellationToken: ct));
    }

    public Task<bool> FinishAsync(string importId, string holder, string status, string? error, DateTimeOffset now, AuditRecord audit,
        ChangeContext context, CancellationToken ct = default) =>
        InTransactionAsync(async (connection, transaction) =>
        {
            const string finish = """
                UPDATE imports SET status = @status, error = @error, finished_at = @now, locked_by = NULL, locked_until = NULL
                WHERE id = @importId AND locked_by = @holder AND status = 'running'
                """;
            if (await connection.ExecuteAsync(finish, new { status, error, now = Iso.ToText(now), importId, holder }, transaction) == 0) return false;
            await connection.ExecuteAsync("DELETE FROM import_input WHERE import_id = @importId", new { importId }, transaction);
            await AuditAppender.AppendAsync(connection, transaction, Dialect, AuditEvent.PlatformChain, audit, context, now);
            return true;
        }, ct);

    public async Task<IReadOnlyList<ImportJobRow>> ListRowsAsync(string importId, long afterLine, int limit, bool rejectedOnly, CancellationToken ct = default)
    {
        var sql = $"""
            SELECT line, outcome, reason FROM import_rows
            WHERE import_id = @importId AND line > @afterLine{(rejectedOnly ? " AND outcome = 'rejected'" : "")}
            ORDER BY line LIMIT @limit
            """;
        await using var connection = await OpenAsync(ct);
        return (await connection.QueryAsync<ImportJobRow>(new CommandDefinition(sql, new { importId, afterLine, limit }, cancellationToken: ct))).ToList();
    }
}

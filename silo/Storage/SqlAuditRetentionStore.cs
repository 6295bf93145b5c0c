using Dapper;
using Taskee.Grains.Audit;
using Taskee.Grains.Interfaces;
using Taskee.Grains.Storage;

namespace Taskee.Silo.Storage;

public sealed class SqlAuditRetentionStore(SqlDialect dialect, TimeProvider clock) : SqlStore(dialect), IAuditRetentionStore
{
    private sealed record CheckpointRow(string OrgId, long Seq, string HeadHash, long PrunedCount, string PrunedAt)
    {
        public AuditCheckpoint ToCheckpoint() => new(OrgId, Seq, HeadHash, PrunedCount, PrunedAt);
    }

    private const string Columns = "org_id AS OrgId, seq AS Seq, head_hash AS HeadHash, pruned_count AS PrunedCount, pruned_at AS PrunedAt";

    public async Task<AuditCheckpoint?> GetCheckpointAsync(string orgId, CancellationToken ct = default)
    {
        await using var connection = await OpenAsync(ct);
        var row = await connection.QuerySingleOrDefaultAsync<CheckpointRow>(new CommandDefinition(
            $"SELECT {Columns} FROM audit_checkpoints WHERE org_id = @orgId", new { orgId }, cancellationToken: ct));
        return row?.ToCheckpoint();
    }

    public Task<AuditPrune?> PruneAsync(string orgId, DateTimeOffset cutoff, CancellationToken ct = default) =>
        InTransactionAsync<AuditPrune?>(async (connection, transaction) =>
        {
            // The chain head's lock orders this against every append (AuditAppender takes it too).
            var head = await connection.QuerySingleOrDefaultAsync<long?>(
                $"SELECT seq FROM audit_chains WHERE chain_id = @orgId{Dialect.ForUpdate}", new { orgId }, transaction);
            if (head is null) return null;

            // The cut is the last event before the first one still inside retention, so every pruned event is past it
            // even if the clock once went back. The head itself is never pruned: the chain keeps an event to link to.
            const string cutSql = """
                SELECT MAX(seq) FROM audit_events
                WHERE org_id = @orgId AND seq < @head
                  AND seq < COALESCE((SELECT MIN(seq) FROM audit_events WHERE org_id = @orgId AND at >= @cutoff), @head)
                """;
            var cut = await connection.QuerySingleOrDefaultAsync<long?>(cutSql, new { orgId, head, cutoff = Iso.ToText(cutoff) }, transaction);
            if (cut is not { } cutSeq) return null;

            var cutHash = await connection.QuerySingleAsync<string>(
                "SELECT hash FROM audit_events WHERE org_id = @orgId AND seq = @cutSeq", new { orgId, cutSeq }, transaction);
            var pruned = await connection.ExecuteAsync(
                "DELETE FROM audit_events WHERE org_id = @orgId AND seq <= @cutSeq", new { orgId, cutSeq }, transaction);
            var before = await connection.QuerySingleOrDefaultAsync<long?>(
                "SELECT pruned_count FROM audit_checkpoints WHERE org_id = @orgId", new { orgId }, transaction) ?? 0;

            var now = clock.GetUtcNow();
            var checkpoint = new AuditCheckpoint(orgId, cutSeq, cutHash, before + pruned, Iso.ToText(now));
            const string upsert = """
                INSERT INTO audit_checkpoints (org_id, seq, head_hash, pruned_count, pruned_at)
                VALUES (@OrgId, @Seq, @HeadHash, @PrunedCount, @PrunedAt)
                ON CONFLICT (org_id) DO UPDATE SET seq = excluded.seq, head_hash = excluded.head_hash,
                    pruned_count = excluded.pruned_count, pruned_at = excluded.pruned_at
                """;
            await connection.ExecuteAsync(upsert, checkpoint, transaction);

            var record = new AuditRecord(AuditCheckpoint.PrunedAction, $"organisations/{orgId}/audit", null, checkpoint.AfterJson(pruned));
            await AuditAppender.AppendAsync(connection, transaction, Dialect, orgId, record, new ChangeContext(AuditActor.System, null, null), now);
            return new AuditPrune(checkpoint, pruned);
        }, ct);
}

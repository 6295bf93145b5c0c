using System.Data.Common;
using System.Text.Json;
using Dapper;
using Taskee.Grains.Interfaces;
using Taskee.Grains.Storage;

namespace Taskee.Silo.Storage;

public sealed class SqlOffboardingStore(SqlDialect dialect) : SqlStore(dialect), IOffboardingStore
{
    /// <summary>Tables with an <c>org_id</c> column that keep their rows: the tombstone is what deletion leaves.</summary>
    private static readonly HashSet<string> Kept = new(StringComparer.OrdinalIgnoreCase) { "organisation_tombstones" };

    private sealed record TombstoneRow(string OrgId, string RequestedAt, string DeletedAt, long FinalSeq, string FinalHeadHash)
    {
        public OrganisationTombstone ToTombstone() => new(OrgId, Iso.Parse(RequestedAt), Iso.Parse(DeletedAt), FinalSeq, FinalHeadHash);
    }

    public async Task<IReadOnlyList<string>> ListDueAsync(DateTimeOffset now, int limit, CancellationToken ct = default)
    {
        const string sql = """
            SELECT id FROM organisations
            WHERE offboarding_delete_after IS NOT NULL AND offboarding_delete_after <= @now
            ORDER BY offboarding_delete_after LIMIT @limit
            """;
        await using var connection = await OpenAsync(ct);
        return (await connection.QueryAsync<string>(new CommandDefinition(sql, new { now = Iso.ToText(now), limit }, cancellationToken: ct))).ToList();
    }

    public Task<OrganisationTombstone?> DeleteAsync(string orgId, DateTimeOffset now, CancellationToken ct = default) =>
        InTransactionAsync<OrganisationTombstone?>(async (connection, transaction) =>
        {
            // Locked and re-checked inside the transaction, so a cancellation that committed first wins.
            var requestedAt = await connection.QuerySingleOrDefaultAsync<string?>(
                $"""
                SELECT offboarding_requested_at FROM organisations
                WHERE id = @orgId AND offboarding_delete_after IS NOT NULL AND offboarding_delete_after <= @now{Dialect.ForUpdate}
                """, new { orgId, now = Iso.ToText(now) }, transaction);
            if (requestedAt is null) return null;

            var head = await connection.QuerySingleOrDefaultAsync<(long Seq, string HeadHash)?>(
                "SELECT seq AS Seq, head_hash AS HeadHash FROM audit_chains WHERE chain_id = @orgId", new { orgId }, transaction);
            var (finalSeq, finalHash) = head ?? (0L, AuditEvent.GenesisHash);

            // Every table that holds rows of an organisation has an org_id column; finding them in the schema means a
            // table added later is deleted too. Sales records (leads, quotes) name the organisation as organisation_id:
            // they are the platform's own records of the deal and stay.
            foreach (var table in await OrganisationTablesAsync(connection, transaction))
                await connection.ExecuteAsync($"DELETE FROM {table} WHERE org_id = @orgId", new { orgId }, transaction);
            await connection.ExecuteAsync("DELETE FROM audit_chains WHERE chain_id = @orgId", new { orgId }, transaction);
            await connection.ExecuteAsync("DELETE FROM orleans_grain_state WHERE grain_id_ext = @orgId AND grain_type = 'usage'", new { orgId }, transaction);
            await connection.ExecuteAsync("DELETE FROM organisations WHERE id = @orgId", new { orgId }, transaction);

            var tombstone = new OrganisationTombstone(orgId, Iso.Parse(requestedAt), now, finalSeq, finalHash);
            await connection.ExecuteAsync("""
                INSERT INTO organisation_tombstones (org_id, requested_at, deleted_at, final_seq, final_head_hash)
                VALUES (@orgId, @requestedAt, @deletedAt, @finalSeq, @finalHash)
                """, new { orgId, requestedAt, deletedAt = Iso.ToText(now), finalSeq, finalHash }, transaction);

            var receipt = JsonSerializer.Serialize(new { orgId, requestedAt, deletedAt = Iso.ToText(now), finalSeq, finalHeadHash = finalHash });
            await AuditAppender.AppendAsync(connection, transaction, Dialect, AuditEvent.PlatformChain,
                new AuditRecord("org.deleted", $"organisations/{orgId}", null, receipt), new ChangeContext(AuditActor.System, null, null), now);
            return tombstone;
        }, ct);

    public async Task<OrganisationTombstone?> GetTombstoneAsync(string orgId, CancellationToken ct = default)
    {
        await using var connection = await OpenAsync(ct);
        var row = await connection.QuerySingleOrDefaultAsync<TombstoneRow>(new CommandDefinition("""
            SELECT org_id AS OrgId, requested_at AS RequestedAt, deleted_at AS DeletedAt, final_seq AS FinalSeq, final_head_hash AS FinalHeadHash
            FROM organisation_tombstones WHERE org_id = @orgId
            """, new { orgId }, cancellationToken: ct));
        return row?.ToTombstone();
    }

    private async Task<IReadOnlyList<string>> OrganisationTablesAsync(DbConnection connection, DbTransaction transaction)
    {
        var sql = Dialect.Name == StorageOptions.Postgres
            ? "SELECT table_name FROM information_schema.columns WHERE column_name = 'org_id' AND table_schema = current_schema() ORDER BY table_name"
            : "SELECT m.name FROM sqlite_master m JOIN pragma_table_info(m.name) p WHERE m.type = 'table' AND p.name = 'org_id' ORDER BY m.name";
        return (await connection.QueryAsync<string>(sql, transaction: transaction)).Where(t => !Kept.Contains(t)).ToList();
    }
}

using Dapper;
using Taskee.Grains.Interfaces;
using Taskee.Grains.Storage;

namespace Taskee.Silo.Storage;

public sealed class SqlAuditStore(SqlDialect dialect, TimeProvider clock) : SqlStore(dialect), IAuditStore
{
    public Task<AuditEvent> AppendAsync(string chainId, AuditRecord record, ChangeContext context, CancellationToken ct = default) =>
        InTransactionAsync((connection, transaction) =>
            AuditAppender.AppendAsync(connection, transaction, Dialect, chainId, record, context, clock.GetUtcNow()), ct);

    private sealed class AuditRow
    {
        public string OrgId { get; set; } = "";
        public long Seq { get; set; }
        public string Id { get; set; } = "";
        public string At { get; set; } = "";
        public string ActorKind { get; set; } = "";
        public string ActorId { get; set; } = "";
        public string Action { get; set; } = "";
        public string Target { get; set; } = "";
        public string? BeforeJson { get; set; }
        public string? AfterJson { get; set; }
        public string? RequestId { get; set; }
        public string? Ip { get; set; }
        public string PrevHash { get; set; } = "";
        public string Hash { get; set; } = "";

        public AuditEvent ToEvent() => new(Id, OrgId, Seq, At, new AuditActor(ActorKind, ActorId), Action, Target,
            BeforeJson, AfterJson, RequestId, Ip, PrevHash, Hash);
    }

    public async Task<IReadOnlyList<AuditEvent>> ReadAsync(
        string orgId, long afterSeq, int limit, DateTimeOffset? from = null, DateTimeOffset? to = null, CancellationToken ct = default)
    {
        const string sql = """
            SELECT org_id, seq, id, at, actor_kind, actor_id, action, target, before_json, after_json, request_id, ip, prev_hash, hash
            FROM audit_events
            WHERE org_id = @orgId AND seq > @afterSeq
              AND (@from IS NULL OR at >= @from) AND (@to IS NULL OR at < @to)
            ORDER BY seq
            LIMIT @limit
            """;
        await using var connection = await OpenAsync(ct);
        var rows = await connection.QueryAsync<AuditRow>(new CommandDefinition(sql,
            new { orgId, afterSeq, limit, from = Iso.ToText(from), to = Iso.ToText(to) }, cancellationToken: ct));
        return rows.Select(r => r.ToEvent()).ToList();
    }
}

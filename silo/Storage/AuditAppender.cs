using System.Data.Common;
using Dapper;
using Taskee.Grains.Audit;
using Taskee.Grains.Interfaces;
using Taskee.Grains.Storage;

namespace Taskee.Silo.Storage;

/// <summary>
/// Appends an event to a chain inside the caller's transaction, so a change and its audit event
/// commit together or not at all. The chain head row is locked, which orders the chain.
/// </summary>
internal static class AuditAppender
{
    private sealed record ChainHead(long Seq, string HeadHash);

    public static async Task<AuditEvent> AppendAsync(
        DbConnection connection, DbTransaction transaction, SqlDialect dialect,
        string chainId, AuditRecord record, ChangeContext context, DateTimeOffset now)
    {
        await connection.ExecuteAsync(
            "INSERT INTO audit_chains (chain_id, seq, head_hash) VALUES (@chainId, 0, @genesis) ON CONFLICT (chain_id) DO NOTHING",
            new { chainId, genesis = AuditEvent.GenesisHash }, transaction);
        var head = await connection.QuerySingleAsync<ChainHead>(
            $"SELECT seq AS Seq, head_hash AS HeadHash FROM audit_chains WHERE chain_id = @chainId{dialect.ForUpdate}",
            new { chainId }, transaction);

        // Personal values are sealed first: the chain hashes what is stored, so erasing a person later keeps it intact.
        if (dialect.AuditSealer is { } sealer)
            (record, context) = await sealer.SealAsync(connection, transaction, chainId, record, context, now);

        var unsigned = new AuditEvent(
            Id: Ulid.NewUlid(now),
            OrgId: chainId,
            Seq: head.Seq + 1,
            At: Iso.ToText(now),
            Actor: context.Actor,
            Action: record.Action,
            Target: record.Target,
            Before: record.Before,
            After: record.After,
            RequestId: context.RequestId,
            Ip: context.Ip,
            PrevHash: head.HeadHash,
            Hash: "");
        var auditEvent = unsigned with { Hash = AuditHash.Compute(unsigned) };

        const string insert = """
            INSERT INTO audit_events (org_id, seq, id, at, actor_kind, actor_id, action, target, before_json, after_json, request_id, ip, prev_hash, hash)
            VALUES (@OrgId, @Seq, @Id, @At, @ActorKind, @ActorId, @Action, @Target, @Before, @After, @RequestId, @Ip, @PrevHash, @Hash)
            """;
        await connection.ExecuteAsync(insert, new
        {
            auditEvent.OrgId, auditEvent.Seq, auditEvent.Id, auditEvent.At,
            ActorKind = auditEvent.Actor.Kind, ActorId = auditEvent.Actor.Id,
            auditEvent.Action, auditEvent.Target, auditEvent.Before, auditEvent.After,
            auditEvent.RequestId, auditEvent.Ip, auditEvent.PrevHash, auditEvent.Hash,
        }, transaction);
        await connection.ExecuteAsync(
            "UPDATE audit_chains SET seq = @Seq, head_hash = @Hash WHERE chain_id = @OrgId",
            new { auditEvent.Seq, auditEvent.Hash, auditEvent.OrgId }, transaction);
        StorageTelemetry.AuditEventWritten(auditEvent.Action);
        TransactionScope.Current.Value?.Events.Add(auditEvent); // published on the audit stream once committed
        return auditEvent;
    }
}

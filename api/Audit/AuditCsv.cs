using Taskee.Grains.Interfaces;
using static Taskee.Api.Infrastructure.CsvField;

namespace Taskee.Api.Audit;

/// <summary>RFC 4180 CSV of audit events; <c>before</c>/<c>after</c> hold their JSON text.</summary>
public static class AuditCsv
{
    public const string Header = "id,orgId,seq,at,actorKind,actorId,action,target,before,after,requestId,ip,prevHash,hash";

    public static string Row(AuditEvent e) => string.Join(',',
        Quote(e.Id), Quote(e.OrgId), e.Seq.ToString(), Quote(e.At), Quote(e.Actor.Kind), Quote(e.Actor.Id), Quote(e.Action),
        Quote(e.Target), Quote(e.Before), Quote(e.After), Quote(e.RequestId), Quote(e.Ip), Quote(e.PrevHash), Quote(e.Hash));
}

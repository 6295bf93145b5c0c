using Microsoft.Extensions.Logging;

namespace Taskee.Api.Retention;

/// <summary>Log messages of retention (EventIds 4950–4999).</summary>
internal static partial class RetentionLog
{
    [LoggerMessage(EventId = 4950, Level = LogLevel.Information,
        Message = "Audit retention run: {Organisations} organisations checked, {Pruned} events pruned from {PrunedOrganisations}, {Failed} failed")]
    public static partial void RunCompleted(ILogger logger, int organisations, long pruned, int prunedOrganisations, int failed);

    [LoggerMessage(EventId = 4951, Level = LogLevel.Information,
        Message = "Pruned {Pruned} audit events of {OrgId} older than {RetentionDays} days; the chain now starts after position {Seq}")]
    public static partial void Pruned(ILogger logger, string orgId, long pruned, int retentionDays, long seq);

    [LoggerMessage(EventId = 4952, Level = LogLevel.Error,
        Message = "Audit retention could not prune {OrgId}; nothing of it was deleted and the next run tries again")]
    public static partial void PruneFailed(ILogger logger, Exception exception, string orgId);
}

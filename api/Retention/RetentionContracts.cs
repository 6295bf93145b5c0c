using Taskee.Api.Infrastructure;
using Taskee.Grains.Audit;
using Taskee.Grains.Interfaces;

namespace Taskee.Api.Retention;

/// <summary>Where a pruned audit chain now starts (an NDJSON export opens with the same checkpoint).</summary>
public sealed record AuditCheckpointResponse(long Seq, string HeadHash, long PrunedCount, string PrunedAt)
{
    public static AuditCheckpointResponse From(AuditCheckpoint c) => new(c.Seq, c.HeadHash, c.PrunedCount, c.PrunedAt);
}

/// <summary>
/// An organisation's audit retention: the days in force, the organisation's own override (null: it follows its plan),
/// its plan's, and the checkpoint of the last prune (null while nothing was pruned).
/// </summary>
public sealed record RetentionResponse(int AuditRetentionDays, int? AuditRetentionDaysOverride, int PlanAuditRetentionDays, AuditCheckpointResponse? Checkpoint);

/// <summary>Sets the organisation's own audit retention; <c>DELETE</c> the same route to follow the plan again.</summary>
public sealed record SetRetentionRequest(int? AuditRetentionDays) : IValidatable
{
    public void Validate(ValidationErrors errors)
    {
        if (AuditRetentionDays is not { } days) errors.Add("auditRetentionDays", $"auditRetentionDays is required: {AuditRetention.Rule}.");
        else if (!AuditRetention.IsValid(days)) errors.Add("auditRetentionDays", $"auditRetentionDays must be {AuditRetention.Rule}.");
    }
}

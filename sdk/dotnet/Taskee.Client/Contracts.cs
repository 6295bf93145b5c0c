namespace Taskee.Client;

/// <summary>A usage decision (check, consume, release). A denial is an answer: <see cref="Allowed"/> false with a reason.</summary>
public sealed record UsageDecision(bool Allowed, long Remaining, long Limit, long Used, DateTimeOffset? ResetsAt, string Reason);

/// <summary>The operations of <c>POST /v1/usage/batch</c>.</summary>
public static class UsageOp
{
    public const string Check = "check";
    public const string Consume = "consume";
    public const string Release = "release";
}

public sealed record UsageBatchItem(string OrgId, string Metric, string Op, long Amount);

public sealed record UsageBatchError(int Status, string Detail);

/// <summary>One batch answer, in request order: a decision, or an <see cref="Error"/> for that item alone.</summary>
public sealed record UsageBatchResult(bool? Allowed, long? Remaining, long? Limit, long? Used, DateTimeOffset? ResetsAt, string? Reason, UsageBatchError? Error);

internal sealed record UsageBatchRequest(IReadOnlyList<UsageBatchItem> Items);

internal sealed record UsageBatchResponse(IReadOnlyList<UsageBatchResult> Results);

internal sealed record AmountRequest(long Amount);

public sealed record FeatureDecision(bool Enabled, string Reason);

public sealed record LimitEntitlement(long Limit, string Source, string Policy);

public sealed record MetricUsage(long Used, long Remaining, long Limit, DateTimeOffset? ResetsAt);

/// <summary>What an organisation may do right now: <c>GET /v1/organisations/{orgId}/entitlements</c>.</summary>
public sealed record Entitlements(
    string OrgId,
    string Plan,
    string Status,
    IReadOnlyDictionary<string, LimitEntitlement> Limits,
    IReadOnlyDictionary<string, FeatureDecision> Features,
    IReadOnlyDictionary<string, MetricUsage> Usage,
    long Version)
{
    /// <summary>A feature the organisation's entitlements do not name is not in its plan (as the node answers).</summary>
    public FeatureDecision Feature(string feature) => Features.GetValueOrDefault(feature) ?? new FeatureDecision(false, "not_in_plan");
}

/// <summary>The control plane could not be reached or did not answer in time (after the safe retries).</summary>
public sealed class TaskeeUnavailableException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>The control plane answered with a problem (4xx): a bad request, an unknown organisation, a missing permission.</summary>
public sealed class TaskeeProblemException(int status, string? detail) : Exception($"Taskee answered {status}: {detail}")
{
    public int Status { get; } = status;
    public string? Detail { get; } = detail;
}

using System.Text.Json.Serialization;
using Taskee.Api.Infrastructure;
using Taskee.Grains.Interfaces;

namespace Taskee.Api.Usage;

/// <summary>A usage decision as product services receive it. A denial is an answer (200), never an error.</summary>
public sealed record UsageResponse(bool Allowed, long Remaining, long Limit, long Used, DateTimeOffset? ResetsAt, string Reason)
{
    public static UsageResponse From(UsageResult r) => new(r.Allowed, r.Remaining, r.Limit, r.Used, r.ResetsAt, r.Reason);
}

public sealed record AmountRequest(long? Amount);

public sealed record BatchItem(string? OrgId, string? Metric, string? Op, long? Amount);

public sealed record BatchRequest(List<BatchItem>? Items);

public sealed record BatchError(int Status, string Detail);

/// <summary>One batch answer, in request order: a decision, or an error for that item alone.</summary>
public sealed record BatchResult(
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] bool? Allowed,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] long? Remaining,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] long? Limit,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] long? Used,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] DateTimeOffset? ResetsAt,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Reason,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] BatchError? Error)
{
    public static BatchResult From(UsageResult r) => new(r.Allowed, r.Remaining, r.Limit, r.Used, r.ResetsAt, r.Reason, null);

    public static BatchResult Failed(int status, string detail) => new(null, null, null, null, null, null, new BatchError(status, detail));
}

public sealed record BatchResponse(IReadOnlyList<BatchResult> Results);

public sealed record FeatureResponse(bool Enabled, string Reason);

/// <summary>The usage operations and which metrics each applies to.</summary>
public static class UsageOps
{
    public const string Check = "check";
    public const string Consume = "consume";
    public const string Release = "release";

    public const int MaxBatchItems = 1000;

    /// <summary>What is wrong with an operation on a metric and amount, or null when it is valid.</summary>
    public static string? Problem(string op, string? metric, long? amount)
    {
        if (metric is null || !Metrics.IsKnown(metric)) return $"Unknown metric '{metric}'; use one of: {string.Join(", ", Metrics.All)}.";
        if (amount is null) return "amount is required: a positive whole number.";
        if (amount <= 0) return "amount must be a positive whole number (1 or more).";
        if (op != Check && metric == Metrics.Seats)
            return "Seats change only through members: POST or DELETE /v1/organisations/{orgId}/members.";
        if (op == Release && Metrics.KindOf(metric) != MetricKind.Gauge)
            return $"'{metric}' resets at the end of the billing period and cannot be released; release applies to storage_bytes.";
        return null;
    }
}

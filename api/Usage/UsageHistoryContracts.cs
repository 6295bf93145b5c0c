namespace Taskee.Api.Usage;

/// <param name="Kind"><c>periodic</c> (counts up in the billing period, resets at its end) or <c>gauge</c> (a level).</param>
/// <param name="Policy">How the limit is enforced: <c>hard</c> or <c>soft</c>.</param>
public sealed record MetricPeriodUsage(string Kind, long Used, long Limit, string Policy);

/// <summary>The organisation's usage in its current billing period (from its billing anchor, or the calendar month).</summary>
public sealed record UsagePeriodResponse(string OrgId, DateTimeOffset PeriodStart, DateTimeOffset PeriodEnd, IReadOnlyDictionary<string, MetricPeriodUsage> Metrics);

/// <param name="Amount">ai_calls: the units used that UTC day; a gauge: the day's highest level at the grain's flushes (the last one carried over days without a change).</param>
public sealed record UsageHistoryPoint(DateOnly Day, long Amount);

/// <summary>Daily usage of one metric from <c>from</c> to <c>to</c> (UTC days, both included; none after today).</summary>
public sealed record UsageHistoryResponse(string OrgId, string Metric, string Kind, DateOnly From, DateOnly To, IReadOnlyList<UsageHistoryPoint> Points);

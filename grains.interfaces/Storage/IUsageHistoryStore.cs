namespace Taskee.Grains.Storage;

/// <summary>
/// One day of one metric: for a periodic metric (ai_calls) the units used that UTC day, for a gauge (storage_bytes,
/// seats) the day's highest level as the grain's flushes saw it.
/// </summary>
public readonly record struct UsageDay(string Metric, DateOnly Day, long Amount);

/// <summary>Daily usage of organisations (table <c>usage_history</c>), written by the organisation grain's flush.</summary>
public interface IUsageHistoryStore
{
    /// <summary>Adds the days in one transaction: a periodic metric's amounts add up, a gauge keeps the day's highest level.</summary>
    Task RecordAsync(string orgId, IReadOnlyCollection<UsageDay> days, CancellationToken ct = default);

    /// <summary>
    /// The recorded days of one metric from <paramref name="from"/> to <paramref name="to"/> (both included), oldest
    /// first, preceded by the last recorded day before <paramref name="from"/> when there is one (a gauge's level then).
    /// </summary>
    Task<IReadOnlyList<UsageDay>> ListAsync(string orgId, string metric, DateOnly from, DateOnly to, CancellationToken ct = default);
}

using Taskee.Grains.Interfaces;
using Taskee.Grains.Storage;

namespace Taskee.Grains.Quota;

/// <summary>
/// The daily usage an organisation grain has seen but not yet written to <see cref="IUsageHistoryStore"/>. Filled from
/// the counters in memory when the grain flushes (never on a consume), written at most once per
/// <see cref="QuotaOptions.HistoryInterval"/>, when its flush timer stops and on deactivation. Touched only inside the
/// grain's turns, so it needs no lock.
/// </summary>
internal sealed class UsageHistoryBuffer
{
    private readonly Dictionary<(string Metric, DateOnly Day), long> _pending = [];

    public DateTimeOffset LastWritten { get; private set; } = DateTimeOffset.MinValue;

    public bool IsEmpty => _pending.Count == 0;

    /// <summary>Takes what each counter changed since the last capture: ai_calls' growth, a gauge's level (once a day at least).</summary>
    public void Capture(IEnumerable<MetricCounter> counters, DateTimeOffset now)
    {
        var day = DateOnly.FromDateTime(now.UtcDateTime);
        foreach (var counter in counters)
        {
            if (counter.Kind == MetricKind.Periodic)
            {
                var used = counter.Used - counter.HistoryUsed;
                if (used != 0) _pending[(counter.Metric, day)] = _pending.GetValueOrDefault((counter.Metric, day)) + used;
            }
            else if (counter.Used != counter.HistoryUsed || counter.HistoryDay != day)
            {
                _pending[(counter.Metric, day)] = Math.Max(counter.Used, _pending.GetValueOrDefault((counter.Metric, day)));
            }
            counter.HistoryUsed = counter.Used;
            counter.HistoryDay = day;
        }
    }

    public IReadOnlyCollection<UsageDay> Pending() => _pending.Select(p => new UsageDay(p.Key.Metric, p.Key.Day, p.Value)).ToList();

    /// <summary>After a successful write: what was pending is stored.</summary>
    public void Written(DateTimeOffset now)
    {
        _pending.Clear();
        LastWritten = now;
    }
}

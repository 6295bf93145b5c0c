using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Taskee.Grains.Interfaces;

namespace Taskee.Api.Ops;

/// <summary>Cumulative traffic of one organisation on this node.</summary>
public sealed class OrganisationTraffic
{
    public long Decisions;
    public long Denials;
    public long Errors;
    public long LatencySumMicroseconds;
    public long LatencyMaxMicroseconds;
}

/// <summary>p50 and p99 of usage decisions since the last snapshot, in microseconds.</summary>
public readonly record struct LatencySnapshot(long Count, long P50Microseconds, long P99Microseconds);

/// <summary>
/// Product API traffic on this node (meter <c>Taskee.Api</c>): decisions, denials by reason, decision latency,
/// and per-organisation counters for the ops dashboard and SLA reports. Lock-free: interlocked counters and a
/// histogram of power-of-two microsecond buckets.
/// </summary>
public sealed class TrafficMeter : IDisposable
{
    public const string MeterName = "Taskee.Api";
    private const int Buckets = 32;

    private readonly Meter _meter = new(MeterName);
    private readonly Counter<long> _decisions;
    private readonly Counter<long> _denials;
    private readonly Histogram<double> _duration;
    private readonly ConcurrentDictionary<string, OrganisationTraffic> _organisations = new(StringComparer.Ordinal);
    private long[] _window = new long[Buckets];
    private long _totalDecisions;
    private long _totalDenials;

    public TrafficMeter()
    {
        _decisions = _meter.CreateCounter<long>("taskee.usage.decisions", "{decision}", "Usage decisions (check, consume, release)");
        _denials = _meter.CreateCounter<long>("taskee.usage.denials", "{decision}", "Usage decisions that denied, by reason");
        _duration = _meter.CreateHistogram<double>("taskee.usage.duration", "s", "Time to decide a usage request, inside the node");
    }

    public long Decisions => Interlocked.Read(ref _totalDecisions);
    public long Denials => Interlocked.Read(ref _totalDenials);

    public IReadOnlyDictionary<string, OrganisationTraffic> Organisations => _organisations;

    // Boxed once: a tag of a bool would otherwise allocate on every decision.
    private static readonly object BoxedTrue = true, BoxedFalse = false;

    public void Record(string orgId, string op, UsageResult result, TimeSpan elapsed)
    {
        var micros = Math.Max(0, (long)elapsed.TotalMicroseconds);
        Interlocked.Increment(ref _totalDecisions);
        _decisions.Add(1, new KeyValuePair<string, object?>("op", op), new KeyValuePair<string, object?>("allowed", result.Allowed ? BoxedTrue : BoxedFalse));
        _duration.Record(elapsed.TotalSeconds, new KeyValuePair<string, object?>("op", op));
        if (!result.Allowed)
        {
            Interlocked.Increment(ref _totalDenials);
            _denials.Add(1, new KeyValuePair<string, object?>("reason", result.Reason));
        }
        Interlocked.Increment(ref Volatile.Read(ref _window)[Bucket(micros)]);

        var organisation = _organisations.GetOrAdd(orgId, _ => new OrganisationTraffic());
        Interlocked.Increment(ref organisation.Decisions);
        if (!result.Allowed) Interlocked.Increment(ref organisation.Denials);
        Interlocked.Add(ref organisation.LatencySumMicroseconds, micros);
        long max;
        while (micros > (max = Interlocked.Read(ref organisation.LatencyMaxMicroseconds))
               && Interlocked.CompareExchange(ref organisation.LatencyMaxMicroseconds, micros, max) != max) { }
    }

    /// <summary>An answer of 5xx to a request on an organisation's path: counts against its availability.</summary>
    public void RecordError(string orgId) => Interlocked.Increment(ref _organisations.GetOrAdd(orgId, _ => new OrganisationTraffic()).Errors);

    /// <summary>Percentiles since the previous call (each bucket reports its upper bound), then starts a new window.</summary>
    public LatencySnapshot TakeLatency()
    {
        var window = Interlocked.Exchange(ref _window, new long[Buckets]);
        var total = window.Sum();
        return total == 0 ? new LatencySnapshot(0, 0, 0) : new LatencySnapshot(total, Percentile(window, total, 0.50), Percentile(window, total, 0.99));
    }

    private static int Bucket(long micros) => micros <= 1 ? 0 : Math.Min(Buckets - 1, 64 - System.Numerics.BitOperations.LeadingZeroCount((ulong)(micros - 1)));

    private static long Percentile(long[] window, long total, double p)
    {
        var target = (long)Math.Ceiling(total * p);
        long seen = 0;
        for (var i = 0; i < window.Length; i++)
        {
            seen += window[i];
            if (seen >= target) return 1L << i;
        }
        return 1L << (window.Length - 1);
    }

    public void Dispose() => _meter.Dispose();
}

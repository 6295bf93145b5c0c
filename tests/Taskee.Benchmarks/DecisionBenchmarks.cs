using BenchmarkDotNet.Attributes;
using Taskee.Grains.Interfaces;
using Taskee.Grains.Quota;

namespace Taskee.Benchmarks;

/// <summary>
/// The organisation grain's in-memory decision, with no messaging, against the naive limiter it replaces (one PostgreSQL
/// UPDATE per check). The reservation covers every call, so this is the path a steady stream of consumes takes.
/// </summary>
public class DecisionBenchmarks
{
    private NaiveLimiter _naive = null!;
    private MetricCounter _counter = null!;
    private long _nowTicks;

    // Synchronous on purpose: the in-process toolchain does not reliably wait for an async setup.
    [GlobalSetup]
    public void Setup()
    {
        _naive = NaiveLimiter.StartAsync().GetAwaiter().GetResult();
        var now = DateTimeOffset.UtcNow;
        _counter = new MetricCounter(Metrics.AiCalls) { Limit = Metrics.MaxLimit };
        _counter.EnterPeriod(null, now);
        _counter.Reserved = Metrics.MaxLimit;
        _nowTicks = now.UtcTicks;
    }

    [GlobalCleanup]
    public void Cleanup() => _naive.DisposeAsync().AsTask().GetAwaiter().GetResult();

    [Benchmark(Baseline = true, Description = "naive: one PostgreSQL UPDATE per check")]
    public Task<bool> NaivePostgresUpdate() => _naive.ConsumeAsync();

    [Benchmark(Description = "MetricCounter.TryAdmit")]
    public bool TryAdmit() => _counter.TryAdmit(1, _nowTicks, out var result) && result.Allowed;

    // ConsumeAsync reads the clock for every decision (a period may have ended): what the grain pays in all.
    [Benchmark(Description = "TryAdmit + clock read, as ConsumeAsync")]
    public bool TryAdmitWithClock() => _counter.TryAdmit(1, TimeProvider.System.GetUtcNow().UtcTicks, out var result) && result.Allowed;
}

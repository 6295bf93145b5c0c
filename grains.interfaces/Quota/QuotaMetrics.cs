using System.Diagnostics.Metrics;

namespace Taskee.Grains.Quota;

/// <summary>Instruments of the quota engine (meter <c>Taskee.Quota</c>), readable in-process for the ops endpoints.</summary>
public sealed class QuotaMetrics : IDisposable
{
    public const string MeterName = "Taskee.Quota";

    private readonly Meter _meter = new(MeterName);
    private long _ledgerRoundTrips;
    private long _failingSinceTicks;
    private long _activeGrains;

    public QuotaMetrics()
    {
        _meter.CreateObservableCounter("taskee.quota.ledger_round_trips", () => Volatile.Read(ref _ledgerRoundTrips), "{round_trip}", "Usage state writes of the organisation grains (reservations, consumption)");
        _meter.CreateObservableGauge("taskee.quota.active_grains", () => ActiveGrains, "{grain}", "Organisation grains active on this silo");
        _meter.CreateObservableGauge("taskee.quota.flush_lag", () => FlushLag.TotalSeconds, "s", "How long usage writes have been failing (0 while they succeed)");
    }

    public long LedgerRoundTrips => Volatile.Read(ref _ledgerRoundTrips);

    /// <summary>Organisation grains active on this silo (counted by the grains themselves as they activate and deactivate).</summary>
    public int ActiveGrains => (int)Volatile.Read(ref _activeGrains);

    public void Activated() => Interlocked.Increment(ref _activeGrains);

    public void Deactivated() => Interlocked.Decrement(ref _activeGrains);

    /// <summary>How long usage writes have been failing: zero while they succeed, growing while storage is unreachable.</summary>
    public TimeSpan FlushLag => Volatile.Read(ref _failingSinceTicks) is var since and > 0
        ? TimeSpan.FromTicks(Math.Max(0, DateTimeOffset.UtcNow.UtcTicks - since))
        : TimeSpan.Zero;

    public void LedgerRoundTrip() => Interlocked.Increment(ref _ledgerRoundTrips);

    public void Flushed() => Volatile.Write(ref _failingSinceTicks, 0);

    public void FlushFailed() => Interlocked.CompareExchange(ref _failingSinceTicks, DateTimeOffset.UtcNow.UtcTicks, 0);

    public void Dispose() => _meter.Dispose();
}

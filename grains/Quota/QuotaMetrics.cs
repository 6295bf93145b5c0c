using System.Diagnostics.Metrics;

namespace Taskee.Grains.Quota;

/// <summary>Instruments of the quota engine (meter <c>Taskee.Quota</c>), readable in-process for the ops endpoints.</summary>
public sealed class QuotaMetrics : IDisposable
{
    public const string MeterName = "Taskee.Quota";

    private readonly Meter _meter = new(MeterName);
    private long _ledgerRoundTrips;
    private long _leasesGranted;
    private long _lastFlushTicks = DateTimeOffset.UtcNow.UtcTicks;

    public QuotaMetrics()
    {
        _meter.CreateObservableCounter("taskee.quota.ledger_round_trips", () => Volatile.Read(ref _ledgerRoundTrips), "{round_trip}", "Ledger database round trips (leases, reports, idempotent consumes)");
        _meter.CreateObservableCounter("taskee.quota.leases", () => Volatile.Read(ref _leasesGranted), "{lease}", "Leases granted to this node");
        _meter.CreateObservableGauge("taskee.quota.flush_lag", () => FlushLag.TotalSeconds, "s", "Time since the last completed flush");
    }

    public long LedgerRoundTrips => Volatile.Read(ref _ledgerRoundTrips);
    public long LeasesGranted => Volatile.Read(ref _leasesGranted);

    /// <summary>How long ago the last periodic flush completed; grows when the ledger is unreachable.</summary>
    public TimeSpan FlushLag => TimeSpan.FromTicks(Math.Max(0, DateTimeOffset.UtcNow.UtcTicks - Volatile.Read(ref _lastFlushTicks)));

    public void LedgerRoundTrip() => Interlocked.Increment(ref _ledgerRoundTrips);

    public void LeaseGranted() => Interlocked.Increment(ref _leasesGranted);

    public void Flushed() => Volatile.Write(ref _lastFlushTicks, DateTimeOffset.UtcNow.UtcTicks);

    public void Dispose() => _meter.Dispose();
}

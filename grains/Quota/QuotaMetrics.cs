using System.Diagnostics.Metrics;

namespace Taskee.Grains.Quota;

/// <summary>Instruments of the quota engine (meter <c>Taskee.Quota</c>), readable in-process for the ops endpoints.</summary>
public sealed class QuotaMetrics : IDisposable
{
    public const string MeterName = "Taskee.Quota";

    private readonly Meter _meter = new(MeterName);
    private long _checks;
    private long _denied;
    private long _ledgerRoundTrips;

    public QuotaMetrics()
    {
        _meter.CreateObservableCounter("taskee.quota.decisions", () => Volatile.Read(ref _checks), "{decision}", "Usage decisions made (check, consume, release)");
        _meter.CreateObservableCounter("taskee.quota.denials", () => Volatile.Read(ref _denied), "{decision}", "Usage decisions that denied");
        _meter.CreateObservableCounter("taskee.quota.ledger_round_trips", () => Volatile.Read(ref _ledgerRoundTrips), "{round_trip}", "Ledger database round trips (leases, reports, idempotent consumes)");
    }

    public long Decisions => Volatile.Read(ref _checks);
    public long Denials => Volatile.Read(ref _denied);
    public long LedgerRoundTrips => Volatile.Read(ref _ledgerRoundTrips);

    public void Decided(bool allowed)
    {
        Interlocked.Increment(ref _checks);
        if (!allowed) Interlocked.Increment(ref _denied);
    }

    public void LedgerRoundTrip() => Interlocked.Increment(ref _ledgerRoundTrips);

    public void Dispose() => _meter.Dispose();
}

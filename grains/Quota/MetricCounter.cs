using Taskee.Grains.Interfaces;
using Taskee.Grains.Storage;

namespace Taskee.Grains.Quota;

/// <summary>
/// One metric of one grain: its limit, the current period, this activation's lease (allowance) and the
/// consumption not yet reported. Mutable, and only touched under the owning grain's lock.
/// </summary>
internal sealed class MetricCounter(string metric)
{
    public string Metric { get; } = metric;
    public MetricKind Kind { get; } = Metrics.KindOf(metric);

    public long Limit;
    public bool Soft;

    public string PeriodKey = "";
    public DateTimeOffset? PeriodEnd;
    /// <summary>UTC ticks at which the period ends; <see cref="long.MaxValue"/> for gauges.</summary>
    public long PeriodEndTicks = long.MaxValue;

    /// <summary>Identity of the lease in the ledger; 0 when this activation holds none.</summary>
    public long Epoch;
    /// <summary>Leased units this activation may still spend without asking the ledger.</summary>
    public long Allowance;
    /// <summary>UTC ticks after which the lease must not be spent (the ledger may have reclaimed it).</summary>
    public long LeaseExpiresTicks;
    public long LastLeaseSize;
    public long LastLeaseAtTicks;
    /// <summary>Allowance to give back at the next flush (after an admin change lowered what this node may spend).</summary>
    public long ReturnPending;

    /// <summary>Spent from the lease, not yet reported to the ledger.</summary>
    public long Unreported;
    /// <summary>Spent and on its way to the ledger: still counted as used until the ledger's totals include it.</summary>
    public long Reporting;
    public long SpentSinceFlush;
    /// <summary>Units per second, smoothed over flushes; sizes the next lease.</summary>
    public double Rate;
    public bool Prefetching;

    /// <summary>The ledger's totals at the last round trip.</summary>
    public LedgerTotals Ledger;

    public CounterKey Key(string orgId) => new(orgId, Metric, PeriodKey);

    /// <summary>Moves to the period that contains <paramref name="now"/>; the ledger view starts empty until synced.</summary>
    public void EnterPeriod(DateTimeOffset? billingAnchor, DateTimeOffset now)
    {
        if (Kind == MetricKind.Gauge)
        {
            PeriodKey = "";
            PeriodEnd = null;
            PeriodEndTicks = long.MaxValue;
            return;
        }
        var period = BillingPeriod.For(billingAnchor, now);
        if (period.Key == PeriodKey) return;
        PeriodKey = period.Key;
        PeriodEnd = period.End;
        PeriodEndTicks = period.End.UtcTicks;
        Ledger = default;
    }

    public long Used => Ledger.Consumed + Reporting + Unreported;

    /// <summary>What this node could still admit: its allowance plus what the ledger had not leased to anyone.</summary>
    public long Remaining => Soft
        ? Math.Max(0, Limit - Used)
        : Allowance + Math.Max(0, Limit - Ledger.Consumed - Ledger.Leased);

    public UsageResult Allowed() =>
        new(true, Remaining, Limit, Used, PeriodEnd, Soft && Used > Limit ? UsageReason.SoftLimitExceeded : UsageReason.Ok);

    public UsageResult Denied(string reason) => new(false, Remaining, Limit, Used, PeriodEnd, reason);
}

using Taskee.Grains.Interfaces;

namespace Taskee.Grains.Quota;

/// <summary>
/// One metric of one organisation grain: its limit, the current period, what was admitted and the durable reservation.
/// Mutable, touched only inside the grain's turns (Orleans runs one at a time), so it needs no lock.
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

    /// <summary>Everything admitted in this period: exact, since this activation is the only counter.</summary>
    public long Used;
    /// <summary>The durable reservation: admitting up to here needs no write.</summary>
    public long Reserved;
    /// <summary>The <see cref="Used"/> last written to storage.</summary>
    public long PersistedUsed;

    public long SpentSinceFlush;
    /// <summary>Units per second, smoothed over flushes; sizes the next reservation.</summary>
    public double Rate;
    /// <summary>The highest of 75/90/100 % already recorded as an audit event in this period.</summary>
    public int ThresholdRecorded;

    /// <summary>The <see cref="Used"/> and UTC day last taken into the usage history (<see cref="UsageHistoryBuffer"/>).</summary>
    public long HistoryUsed;
    public DateOnly HistoryDay;

    /// <summary>
    /// The hot path: admits <paramref name="amount"/> when it fits the limit and the reservation. No I/O, no allocation.
    /// False when the caller must decide more slowly (period over, or the reservation must grow first).
    /// </summary>
    public bool TryAdmit(long amount, long nowTicks, out UsageResult result)
    {
        if (nowTicks >= PeriodEndTicks)
        {
            result = default;
            return false;
        }
        if (!Soft && Used + amount > Limit)
        {
            result = Denied(UsageReason.LimitReached);
            return true;
        }
        if (Used + amount > Reserved)
        {
            result = default;
            return false;
        }
        Used += amount;
        SpentSinceFlush += amount;
        result = Allowed();
        return true;
    }

    /// <summary>The reservation to write so that <paramref name="amount"/> more, and about a second of traffic after it, fit.</summary>
    public long ReservationFor(long amount, long maxChunk)
    {
        var chunk = (long)Math.Clamp(Math.Ceiling(Rate), 1, maxChunk);
        if (Soft) return Used + amount + chunk;
        // Near the limit the chunk shrinks to single units: what a crash can strand is at most a quarter of what is left.
        var left = Limit - Used - amount;
        chunk = Math.Min(chunk, Math.Max(1, left / 4));
        return Math.Min(Limit, Used + amount + chunk);
    }

    /// <summary>Moves to the period that contains <paramref name="now"/>, starting from nothing used.</summary>
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
        Used = Reserved = PersistedUsed = HistoryUsed = 0;
        ThresholdRecorded = 0;
    }

    /// <summary>Takes over what storage holds for the current period: a reservation a crashed activation left counts as used.</summary>
    public void Restore(CounterState? stored)
    {
        if (stored is null || stored.Period != PeriodKey) return;
        Used = Math.Max(stored.Used, stored.Reserved);
        Reserved = Used;
        PersistedUsed = stored.Used;
        HistoryUsed = Used; // what earlier activations used is in the history already (or lost with a crash)
    }

    public long Remaining => Math.Max(0, Limit - Used);

    public UsageResult Allowed() =>
        new(true, Remaining, Limit, Used, PeriodEnd, Soft && Used > Limit ? UsageReason.SoftLimitExceeded : UsageReason.Ok);

    public UsageResult Denied(string reason) => new(false, Remaining, Limit, Used, PeriodEnd, reason);
}

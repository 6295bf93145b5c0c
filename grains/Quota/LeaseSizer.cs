namespace Taskee.Grains.Quota;

/// <summary>How many units to ask the ledger for: about one flush interval of the observed rate.</summary>
public static class LeaseSizer
{
    /// <param name="need">Units the waiting request lacks; the lease is never smaller.</param>
    /// <param name="unitsPerSecond">The grain's recent consumption rate on this metric.</param>
    public static long Desired(long need, double unitsPerSecond, TimeSpan flushInterval, long maxLease)
    {
        var perInterval = unitsPerSecond * flushInterval.TotalSeconds;
        var desired = perInterval >= maxLease ? maxLease : (long)Math.Ceiling(perInterval);
        return Math.Max(need, Math.Max(1, desired));
    }
}

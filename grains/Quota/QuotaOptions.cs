using System.ComponentModel.DataAnnotations;

namespace Taskee.Grains.Quota;

/// <summary>Configuration section <c>Quota</c>. Durations are TimeSpan strings, e.g. <c>Quota:LeaseTtl=00:00:05</c>.</summary>
public sealed class QuotaOptions
{
    public const string Section = "Quota";

    /// <summary>How often each node reports consumption to the ledger (and renews its leases).</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "00:01:00", ErrorMessage = "Quota:FlushInterval must be between 00:00:00.010 and 00:01:00.")]
    public TimeSpan FlushInterval { get; set; } = TimeSpan.FromMilliseconds(250);

    /// <summary>
    /// A lease not renewed for this long is reclaimed: its unreported part is counted as consumed. Also the
    /// longest a node that lost the database keeps serving from its leases. Must exceed a few flush intervals.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.500", "01:00:00", ErrorMessage = "Quota:LeaseTtl must be between 00:00:00.500 and 01:00:00.")]
    public TimeSpan LeaseTtl { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>A lease takes at most 1/ShareDivisor of what is left, so several nodes share what remains.</summary>
    [Range(1, 1000, ErrorMessage = "Quota:ShareDivisor must be between 1 and 1000.")]
    public int ShareDivisor { get; set; } = 4;

    /// <summary>Largest lease in units, whatever the rate: bounds what a crashed node can take with it.</summary>
    [Range(1, long.MaxValue, ErrorMessage = "Quota:MaxLease must be at least 1.")]
    public long MaxLease { get; set; } = 1_000_000;

    /// <summary>How long a consume's Idempotency-Key is remembered.</summary>
    [Range(typeof(TimeSpan), "00:01:00", "30.00:00:00", ErrorMessage = "Quota:IdempotencyRetention must be between 00:01:00 and 30.00:00:00.")]
    public TimeSpan IdempotencyRetention { get; set; } = TimeSpan.FromHours(24);
}

using System.ComponentModel.DataAnnotations;

namespace Taskee.Grains.Quota;

/// <summary>Configuration section <c>Quota</c>. Durations are TimeSpan strings, e.g. <c>Quota:FlushInterval=00:00:01</c>.</summary>
public sealed class QuotaOptions
{
    public const string Section = "Quota";

    /// <summary>Settings of v1's leases between nodes; Orleans' single activation made them meaningless. Given one, a node warns.</summary>
    public static readonly IReadOnlyList<string> Obsolete = ["Quota:LeaseTtl", "Quota:ShareDivisor"];

    /// <summary>How often an organisation grain writes its consumption and resizes its reservation.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "00:01:00", ErrorMessage = "Quota:FlushInterval must be between 00:00:00.010 and 00:01:00.")]
    public TimeSpan FlushInterval { get; set; } = TimeSpan.FromMilliseconds(250);

    /// <summary>
    /// How often a busy organisation grain writes its daily usage history (table usage_history); an idle one writes it when
    /// its flush timer stops and on deactivation. Longer means fewer writes and a chart that lags by up to this much.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00", ErrorMessage = "Quota:HistoryInterval must be between 00:00:01 and 01:00:00.")]
    public TimeSpan HistoryInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Largest reservation in units, whatever the rate: bounds what a crashed silo can strand.</summary>
    [Range(1, long.MaxValue, ErrorMessage = "Quota:MaxLease must be at least 1.")]
    public long MaxLease { get; set; } = 1_000_000;

    /// <summary>How long a consume's Idempotency-Key is remembered.</summary>
    [Range(typeof(TimeSpan), "00:01:00", "30.00:00:00", ErrorMessage = "Quota:IdempotencyRetention must be between 00:01:00 and 30.00:00:00.")]
    public TimeSpan IdempotencyRetention { get; set; } = TimeSpan.FromHours(24);
}

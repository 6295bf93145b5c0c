using System.ComponentModel.DataAnnotations;

namespace Taskee.Api.Ops;

/// <summary>Configuration section <c>Ops</c>.</summary>
public sealed class OpsOptions
{
    public const string Section = "Ops";

    /// <summary>How often this node publishes its figures for the cluster dashboard.</summary>
    [Range(typeof(TimeSpan), "00:00:00.200", "00:05:00", ErrorMessage = "Ops:StatsInterval must be between 00:00:00.200 and 00:05:00.")]
    public TimeSpan StatsInterval { get; set; } = TimeSpan.FromSeconds(3);

    /// <summary>How often a health sample (and per-organisation traffic) is recorded for SLA reports.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00", ErrorMessage = "Ops:SampleInterval must be between 00:00:01 and 01:00:00.")]
    public TimeSpan SampleInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>An organisation whose usage of a metric reaches this fraction of its limit is "near its limit".</summary>
    [Range(0.1, 1.0, ErrorMessage = "Ops:NearLimitFraction must be between 0.1 and 1.0.")]
    public double NearLimitFraction { get; set; } = 0.8;
}

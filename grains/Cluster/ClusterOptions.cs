using System.ComponentModel.DataAnnotations;

namespace Taskee.Grains.Cluster;

/// <summary>Configuration section <c>Cluster</c>. Durations are TimeSpan strings.</summary>
public sealed class ClusterOptions
{
    public const string Section = "Cluster";

    /// <summary>How often this node records that it is alive.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:05:00", ErrorMessage = "Cluster:HeartbeatInterval must be between 00:00:00.100 and 00:05:00.")]
    public TimeSpan HeartbeatInterval { get; set; } = TimeSpan.FromSeconds(3);

    /// <summary>A node whose last heartbeat is older than this is dead.</summary>
    [Range(typeof(TimeSpan), "00:00:00.500", "01:00:00", ErrorMessage = "Cluster:NodeTtl must be between 00:00:00.500 and 01:00:00.")]
    public TimeSpan NodeTtl { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>The address this node is reached at, as listed by GET /v1/cluster/nodes; defaults to its first URL.</summary>
    public string? AdvertisedAddress { get; set; }
}

using System.ComponentModel.DataAnnotations;
using System.Net;
using Microsoft.Extensions.Options;

namespace Taskee.Silo.Cluster;

/// <summary>Configuration section <c>Orleans</c>: how this silo joins its cluster.</summary>
public sealed class OrleansOptions
{
    public const string Section = "Orleans";

    /// <summary>Silos with the same ClusterId (and ServiceId) on one database form one cluster.</summary>
    [Required(AllowEmptyStrings = false, ErrorMessage = "Orleans:ClusterId must not be empty.")]
    public string ClusterId { get; set; } = "taskee";

    /// <summary>Names the service across deployments; grain state is keyed by it, so keep it stable.</summary>
    [Required(AllowEmptyStrings = false, ErrorMessage = "Orleans:ServiceId must not be empty.")]
    public string ServiceId { get; set; } = "taskee";

    [Range(1, 65535, ErrorMessage = "Orleans:SiloPort must be a TCP port, 1 to 65535.")]
    public int SiloPort { get; set; } = 11111;

    [Range(1, 65535, ErrorMessage = "Orleans:GatewayPort must be a TCP port, 1 to 65535.")]
    public int GatewayPort { get; set; } = 30000;

    /// <summary>The address other silos reach this one at; on one machine 127.0.0.1, in a cluster the host's address.</summary>
    public string AdvertisedIPAddress { get; set; } = "127.0.0.1";

    /// <summary>
    /// Failure detection: a silo that misses <see cref="MissedProbesLimit"/> probes of <see cref="ProbeTimeout"/> each is
    /// declared dead, and its organisations activate on the survivors. Orleans' defaults (10 s, 3) take about 15 s.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.200", "00:01:00", ErrorMessage = "Orleans:ProbeTimeout must be between 00:00:00.200 and 00:01:00.")]
    public TimeSpan ProbeTimeout { get; set; } = TimeSpan.FromSeconds(1);

    [Range(1, 10, ErrorMessage = "Orleans:MissedProbesLimit must be between 1 and 10.")]
    public int MissedProbesLimit { get; set; } = 2;

    /// <summary>How long a grain call may take before the caller gets a 503 (a silo that died mid-call).</summary>
    [Range(typeof(TimeSpan), "00:00:00.500", "00:05:00", ErrorMessage = "Orleans:ResponseTimeout must be between 00:00:00.500 and 00:05:00.")]
    public TimeSpan ResponseTimeout { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Settings of v1's own node registry; Orleans membership replaced it. Given one, a node warns.</summary>
    public static readonly IReadOnlyList<string> Obsolete = ["Cluster:HeartbeatInterval", "Cluster:NodeTtl", "Cluster:AdvertisedAddress"];
}

public sealed class OrleansOptionsValidator : IValidateOptions<OrleansOptions>
{
    public ValidateOptionsResult Validate(string? name, OrleansOptions options)
    {
        if (!IPAddress.TryParse(options.AdvertisedIPAddress, out _))
            return ValidateOptionsResult.Fail($"Orleans:AdvertisedIPAddress '{options.AdvertisedIPAddress}' is not an IP address, e.g. 10.0.0.12.");
        if (options.SiloPort == options.GatewayPort)
            return ValidateOptionsResult.Fail($"Orleans:SiloPort and Orleans:GatewayPort are both {options.SiloPort}; give each its own port.");
        return ValidateOptionsResult.Success;
    }
}

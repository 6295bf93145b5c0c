using Microsoft.Extensions.Options;

namespace Taskee.Grains.Cluster;

/// <summary>A node must heartbeat several times within its time to live, or live nodes would look dead.</summary>
public sealed class ClusterOptionsValidator : IValidateOptions<ClusterOptions>
{
    public ValidateOptionsResult Validate(string? name, ClusterOptions options) =>
        options.NodeTtl < options.HeartbeatInterval * 3
            ? ValidateOptionsResult.Fail(
                $"Cluster:NodeTtl ({options.NodeTtl}) must be at least 3 x Cluster:HeartbeatInterval ({options.HeartbeatInterval}).")
            : ValidateOptionsResult.Success;
}

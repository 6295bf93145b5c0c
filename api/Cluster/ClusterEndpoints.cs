using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;
using Taskee.Api.Auth;
using Taskee.Grains.Cluster;
using Taskee.Grains.Quota;
using Taskee.Grains.Storage;

namespace Taskee.Api.Cluster;

/// <param name="Alive">False when the last heartbeat is older than Cluster:NodeTtl.</param>
/// <param name="Self">True for the node that answered.</param>
public sealed record NodeResponse(string Id, string Address, string Version, DateTimeOffset StartedAt, DateTimeOffset LastHeartbeat,
    double HeartbeatAgeSeconds, bool Alive, bool Self);

public sealed record NodeList(IReadOnlyList<NodeResponse> Items);

public static class ClusterEndpoints
{
    public static void MapClusterEndpoints(this IEndpointRouteBuilder app) =>
        app.MapGet("/v1/cluster/nodes", ListNodesAsync).RequireAuthorization(Permissions.OpsRead).WithTags("Cluster").WithName("ListClusterNodes");

    public static async Task<Ok<NodeList>> ListNodesAsync(
        INodeRegistry registry, NodeIdentity self, IOptions<ClusterOptions> options, TimeProvider clock, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var nodes = await registry.ListAsync(ct);
        return TypedResults.Ok(new NodeList(nodes.Select(n => new NodeResponse(n.Id, n.Address, n.Version, n.StartedAt, n.LastHeartbeat,
            Math.Round((now - n.LastHeartbeat).TotalSeconds, 1), now - n.LastHeartbeat <= options.Value.NodeTtl, n.Id == self.Id)).ToList()));
    }
}

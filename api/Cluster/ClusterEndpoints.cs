using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Orleans.Runtime;
using Taskee.Api.Auth;
using Taskee.Grains.Quota;

namespace Taskee.Api.Cluster;

/// <param name="Id">The silo's name (also its id in ops figures); <paramref name="Address"/> is its silo endpoint.</param>
/// <param name="Status">Orleans membership status: Joining, Active, ShuttingDown, Stopping, Dead.</param>
/// <param name="Alive">True while membership holds the silo active.</param>
/// <param name="Self">True for the silo that answered.</param>
/// <param name="ActiveOrganisationGrains">Null when the silo did not answer in time (paused, partitioned, or just dead).</param>
public sealed record NodeResponse(string Id, string Address, string Status, string HostName, DateTimeOffset StartedAt, double UptimeSeconds,
    DateTimeOffset LastHeartbeat, double HeartbeatAgeSeconds, bool Alive, bool Self, int? ActiveOrganisationGrains);

public sealed record NodeList(IReadOnlyList<NodeResponse> Items);

public static class ClusterEndpoints
{
    public static void MapClusterEndpoints(this IEndpointRouteBuilder app) =>
        app.MapGet("/v1/cluster/nodes", ListNodesAsync).RequireAuthorization(Permissions.OpsRead).WithTags("Cluster").WithName("ListClusterNodes");

    public static async Task<Ok<NodeList>> ListNodesAsync(IGrainFactory grains, NodeIdentity self, TimeProvider clock) =>
        TypedResults.Ok(new NodeList(await ListAsync(grains, self, clock)));

    /// <summary>Every silo Orleans membership knows, live or dead, with its organisation grain activations.</summary>
    public static async Task<IReadOnlyList<NodeResponse>> ListAsync(IGrainFactory grains, NodeIdentity self, TimeProvider clock)
    {
        var management = grains.GetGrain<IManagementGrain>(0);
        var hosts = await management.GetDetailedHosts(onlyActive: false);
        var active = hosts.Where(h => h.Status == SiloStatus.Active).Select(h => h.SiloAddress).ToArray();
        // One call per silo: a silo that is paused but not yet declared dead must not take the whole list down with it,
        // and this list is what an operator opens exactly then.
        var counts = await Task.WhenAll(active.Select(silo => OrganisationGrainsOnAsync(management, silo)));
        var organisationGrains = active.Zip(counts).Where(p => p.Second is not null).ToDictionary(p => p.First, p => p.Second);

        var now = clock.GetUtcNow();
        return hosts
            .OrderBy(h => h.Status == SiloStatus.Dead).ThenBy(h => h.SiloName, StringComparer.Ordinal)
            .Select(h =>
            {
                var started = new DateTimeOffset(h.StartTime.ToUniversalTime(), TimeSpan.Zero);
                var heartbeat = new DateTimeOffset(h.IAmAliveTime.ToUniversalTime(), TimeSpan.Zero);
                return new NodeResponse(h.SiloName, h.SiloAddress.ToString(), h.Status.ToString(), h.HostName, started,
                    Math.Round((now - started).TotalSeconds), heartbeat, Math.Round((now - heartbeat).TotalSeconds, 1),
                    h.Status == SiloStatus.Active, h.SiloName == self.Id, organisationGrains.GetValueOrDefault(h.SiloAddress));
            })
            .ToList();
    }

    private static async Task<int?> OrganisationGrainsOnAsync(IManagementGrain management, SiloAddress silo)
    {
        try
        {
            var statistics = await management.GetSimpleGrainStatistics([silo]);
            return statistics.Where(s => s.GrainType.Contains("OrganisationGrain", StringComparison.Ordinal)).Sum(s => s.ActivationCount);
        }
        catch (Exception e) when (e is TimeoutException or SiloUnavailableException or OrleansException)
        {
            return null;
        }
    }
}

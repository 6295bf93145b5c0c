using System.Net;
using System.Text.Json.Nodes;
using Taskee.Tests.Infrastructure;

namespace Taskee.Tests.Cluster;

[Trait("Category", "Cluster")]
public sealed class ClusterTests(ClusterFixture cluster) : IClassFixture<ClusterFixture>
{
    private HttpClient Admin(int node) => cluster.Nodes[node].Admin();

    /// <summary>Polls until <paramref name="seen"/> holds (a change has to travel), failing after 10 s.</summary>
    private static async Task EventuallyAsync(Func<Task<bool>> seen, string what)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!await seen())
        {
            Assert.True(DateTime.UtcNow < deadline, $"Not seen within 10 s: {what}");
            await Task.Delay(20);
        }
    }

    [Fact]
    public async Task A_change_on_node_a_is_seen_by_the_active_grains_of_b_and_c()
    {
        var id = TestApi.NewOrgId("c");
        await Admin(0).CreateOrganisationAsync(id, "starter");
        foreach (var node in new[] { 1, 2 })
            Assert.Equal(1000, (await Admin(node).GetJsonAsync($"/v1/organisations/{id}/entitlements"))["limits"]!["ai_calls"]!["limit"]!.GetValue<long>());

        await Admin(0).SetLimitAsync(id, "ai_calls", 7777);
        await Admin(0).PatchAsync($"/v1/organisations/{id}", TestApi.Json(new { status = "suspended" }));

        foreach (var node in new[] { 1, 2 })
        {
            await EventuallyAsync(async () =>
            {
                var e = await Admin(node).GetJsonAsync($"/v1/organisations/{id}/entitlements");
                return e["limits"]!["ai_calls"]!["limit"]!.GetValue<long>() == 7777 && e["status"]!.GetValue<string>() == "suspended";
            }, $"limit and status on node {node}");
            var denied = await Admin(node).UsageAsync(id, "ai_calls", "consume", 1);
            Assert.Equal("organisation_suspended", denied["reason"]!.GetValue<string>());
        }
    }

    [Fact]
    public async Task Plan_and_flag_changes_reach_every_node()
    {
        var id = TestApi.NewOrgId("c");
        var flag = "cluster-flag-" + Guid.NewGuid().ToString("N")[..6];
        await Admin(0).CreateOrganisationAsync(id, "pro");
        await Admin(2).GetJsonAsync($"/v1/organisations/{id}/entitlements");

        await Admin(1).PutAsync($"/v1/flags/{flag}", TestApi.Json(new { enabled = true, rolloutPercent = 0, allow = new[] { id } }));

        await EventuallyAsync(async () =>
            (await Admin(2).GetJsonAsync($"/v1/organisations/{id}/entitlements"))["features"]![flag]?["enabled"]?.GetValue<bool>() == true,
            "flag on node 2");
        await EventuallyAsync(async () =>
            (await Admin(0).GetJsonAsync("/v1/flags"))["items"]!.AsArray().Any(f => f!["key"]!.GetValue<string>() == flag),
            "flag list on node 0");
    }

    [Fact]
    public async Task A_key_revoked_on_one_node_is_refused_by_the_others()
    {
        var id = TestApi.NewOrgId("c");
        await Admin(0).CreateOrganisationAsync(id);
        var created = await (await Admin(0).PostAsync($"/v1/organisations/{id}/api-keys", TestApi.Json(new { name = "k", scopes = new[] { "usage" } }))).ReadJsonAsync();
        var key = created["key"]!.GetValue<string>();
        foreach (var node in cluster.Nodes) Assert.Equal(HttpStatusCode.OK, (await node.Client(key).GetAsync($"/v1/organisations/{id}/entitlements")).StatusCode);

        await Admin(0).DeleteAsync($"/v1/organisations/{id}/api-keys/{created["id"]!.GetValue<string>()}");

        foreach (var node in cluster.Nodes.Skip(1))
            await EventuallyAsync(async () => (await node.Client(key).GetAsync($"/v1/organisations/{id}/entitlements")).StatusCode == HttpStatusCode.Unauthorized,
                "revocation");
    }

    [Fact]
    public async Task Concurrent_consumes_over_all_nodes_never_exceed_the_limit_and_the_count_is_exact()
    {
        var id = TestApi.NewOrgId("c");
        await Admin(0).CreateOrganisationAsync(id);
        await Admin(0).SetLimitAsync(id, "ai_calls", 300);
        var clients = cluster.Nodes.Select(n => n.Admin()).ToArray();

        var allowed = await Task.WhenAll(Enumerable.Range(0, 30).Select(async worker =>
        {
            var count = 0;
            for (var i = 0; i < 20; i++)
                if ((await clients[(worker + i) % 3].UsageAsync(id, "ai_calls", "consume", 1))["allowed"]!.GetValue<bool>()) count++;
            return count;
        }));

        Assert.Equal(300, allowed.Sum());
        foreach (var node in cluster.Nodes) await node.FlushAsync();
        var stored = await cluster.Nodes[0].StoredUsageAsync(id, "ai_calls");
        Assert.Equal(300, stored!.Used);
        Assert.Equal(300, stored.Reserved); // at the limit nothing more can be reserved
    }

    [Fact]
    public async Task An_idempotency_key_retried_on_another_node_counts_once()
    {
        var id = TestApi.NewOrgId("c");
        await Admin(0).CreateOrganisationAsync(id);
        var key = Guid.NewGuid().ToString();

        var results = new List<JsonNode>();
        foreach (var node in new[] { 0, 1, 2, 1 }) results.Add(await Admin(node).UsageAsync(id, "ai_calls", "consume", 9, key));

        Assert.All(results, r => Assert.True(r["allowed"]!.GetValue<bool>()));
        Assert.Equal(9, (await Admin(2).GetJsonAsync($"/v1/organisations/{id}/entitlements"))["usage"]!["ai_calls"]!["used"]!.GetValue<long>());
        foreach (var node in cluster.Nodes) await node.FlushAsync();
        Assert.Equal(9, (await cluster.Nodes[2].StoredUsageAsync(id, "ai_calls"))!.Used);
    }

    [Fact]
    public async Task Every_silo_is_listed_active_from_orleans_membership()
    {
        await EventuallyAsync(async () =>
            (await Admin(0).GetJsonAsync("/v1/cluster/nodes"))["items"]!.AsArray().Count(n => n!["alive"]!.GetValue<bool>()) >= 3, "3 live nodes");

        var nodes = (await Admin(1).GetJsonAsync("/v1/cluster/nodes"))["items"]!.AsArray();
        Assert.Single(nodes, n => n!["self"]!.GetValue<bool>());
        Assert.All(nodes.Where(n => n!["alive"]!.GetValue<bool>()), n =>
        {
            Assert.Equal("Active", n!["status"]!.GetValue<string>());
            Assert.StartsWith("S127.0.0.1:", n["address"]!.GetValue<string>());
            Assert.InRange(n["uptimeSeconds"]!.GetValue<double>(), 0, 3600);
        });
    }

    [Fact]
    public async Task The_node_list_needs_a_platform_key()
    {
        var id = TestApi.NewOrgId("c");
        await Admin(0).CreateOrganisationAsync(id);
        var orgAdmin = cluster.Nodes[0].Client(await Admin(0).CreateKeyAsync(id, "admin"));

        await (await orgAdmin.GetAsync("/v1/cluster/nodes")).AssertProblemAsync(HttpStatusCode.Forbidden);
        await (await cluster.Nodes[0].Client(null).GetAsync("/v1/cluster/nodes")).AssertProblemAsync(HttpStatusCode.Unauthorized);
    }
}

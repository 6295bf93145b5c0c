using System.Net;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Taskee.Client;
using Taskee.Tests.Infrastructure;

namespace Taskee.Tests.Sdk;

/// <summary>A product backend talking to a node over real HTTP, before and after the node stops.</summary>
public sealed class NodeStoppedTests
{
    [Fact]
    public async Task When_the_node_stops_a_closed_feature_answers_503_and_an_open_quota_lets_requests_through()
    {
        await using var database = await TestDatabase.CreateAsync();
        var node = new TaskeeNode(database);
        ProductBackend? backend = null;
        try
        {
            node.UseKestrel(0);
            node.StartServer();
            await node.StartAsync();
            var address = node.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
            var (orgId, key) = await ProductBackend.OrganisationAsync(node.Admin(), "pro", "stopped");
            backend = await ProductBackend.StartAsync(o =>
            {
                o.BaseAddress = new Uri(address);
                o.ApiKey = key;
                o.EntitlementsFreshFor = TimeSpan.Zero; // ask the node every time, so its absence shows at once
                o.FailModes["advanced_reports"] = FailMode.Closed;
                o.FailModes["ai_calls"] = FailMode.Open;
            });
            var client = backend.Client();
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync($"/orgs/{orgId}/reports")).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await client.PostAsync($"/orgs/{orgId}/ai", null)).StatusCode);

            await node.DisposeAsync();

            var closed = await (await client.GetAsync($"/orgs/{orgId}/reports")).AssertProblemAsync(HttpStatusCode.ServiceUnavailable);
            Assert.Equal("control_plane_unavailable", closed["reason"]!.GetValue<string>());
            Assert.Equal("advanced_reports", closed["feature"]!.GetValue<string>());
            Assert.Equal(HttpStatusCode.OK, (await client.PostAsync($"/orgs/{orgId}/ai", null)).StatusCode);
        }
        finally
        {
            if (backend is not null) await backend.DisposeAsync();
            await node.DisposeAsync();
        }
    }
}

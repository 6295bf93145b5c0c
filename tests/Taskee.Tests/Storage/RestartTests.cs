using System.Net;
using Taskee.Grains.Audit;
using Taskee.Tests.Infrastructure;

namespace Taskee.Tests.Storage;

public sealed class RestartTests
{
    [Fact]
    public async Task A_restarted_node_keeps_organisations_plans_flags_keys_and_the_audit_chain()
    {
        await using var database = await TestDatabase.CreateAsync();
        var id = TestApi.NewOrgId();
        string orgKey;
        await using (var first = await new TaskeeNode(database).StartAsync())
        {
            var admin = first.Admin();
            await admin.CreateOrganisationAsync(id, "starter");
            await admin.PutAsync($"/v1/organisations/{id}/limits/ai_calls", TestApi.Json(new { limit = 4242 }));
            await admin.PutAsync("/v1/flags/restart-flag", TestApi.Json(new { enabled = true, rolloutPercent = 0, allow = new[] { id } }));
            orgKey = await admin.CreateKeyAsync(id, "admin");
        }

        await using var second = await new TaskeeNode(database).StartAsync();
        var again = second.Admin();
        var entitlements = await again.GetJsonAsync($"/v1/organisations/{id}/entitlements");
        Assert.Equal(4242, entitlements["limits"]!["ai_calls"]!["limit"]!.GetValue<long>());
        Assert.True(entitlements["features"]!["restart-flag"]!["enabled"]!.GetValue<bool>());
        Assert.Equal(HttpStatusCode.OK, (await second.Client(orgKey).GetAsync($"/v1/organisations/{id}")).StatusCode);

        await again.PatchAsync($"/v1/organisations/{id}", TestApi.Json(new { name = "After restart" }));
        var export = (await again.GetStringAsync($"/v1/organisations/{id}/audit/export")).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(4, export.Length);
        Assert.True(AuditChainVerifier.Verify(export).IsIntact);
    }
}

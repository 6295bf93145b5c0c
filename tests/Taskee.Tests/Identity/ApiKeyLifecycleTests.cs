using System.Net;
using Taskee.Tests.Infrastructure;

namespace Taskee.Tests.Identity;

public sealed class ApiKeyLifecycleTests
{
    [Fact]
    public async Task A_rotated_key_has_a_new_secret_and_the_old_one_works_only_for_the_grace_period()
    {
        await using var database = await TestDatabase.CreateAsync();
        var clock = new ManualClock(DateTimeOffset.UtcNow);
        await using var node = await new TaskeeNode(database, new Dictionary<string, string?> { ["Auth:ApiKeyRotationGrace"] = "00:10:00" }, clock).StartAsync();
        var admin = node.Admin();
        var id = TestApi.NewOrgId("k");
        await admin.CreateOrganisationAsync(id);
        var created = await (await admin.PostAsync($"/v1/organisations/{id}/api-keys", TestApi.Json(new { name = "svc", scopes = new[] { "admin" } }))).ReadJsonAsync();
        var oldKey = created["key"]!.GetValue<string>();

        var rotated = await (await node.Client(oldKey).PostAsync($"/v1/organisations/{id}/api-keys/{created["id"]!.GetValue<string>()}/rotate", null)).ReadJsonAsync();
        var newKey = rotated["key"]!.GetValue<string>();

        Assert.NotEqual(oldKey, newKey);
        Assert.Equal(HttpStatusCode.OK, (await node.Client(newKey).GetAsync($"/v1/organisations/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await node.Client(oldKey).GetAsync($"/v1/organisations/{id}")).StatusCode);

        clock.Set(clock.GetUtcNow().AddMinutes(11));
        await (await node.Client(oldKey).GetAsync($"/v1/organisations/{id}")).AssertProblemAsync(HttpStatusCode.Unauthorized);
        Assert.Equal(HttpStatusCode.OK, (await node.Client(newKey).GetAsync($"/v1/organisations/{id}")).StatusCode);

        var listed = (await admin.GetJsonAsync($"/v1/organisations/{id}/api-keys"))["items"]!.AsArray().Single()!;
        Assert.NotNull(listed["lastUsedAt"]);
        Assert.Contains("apikey.rotated", (await admin.AuditEventsAsync(id)).Select(e => e["action"]!.GetValue<string>()));
    }

    [Fact]
    public async Task An_old_secret_verified_earlier_is_refused_once_its_grace_ends_even_while_the_key_is_cached()
    {
        await using var database = await TestDatabase.CreateAsync();
        var clock = new ManualClock(DateTimeOffset.UtcNow);
        await using var node = await new TaskeeNode(database, new Dictionary<string, string?> { ["Auth:ApiKeyRotationGrace"] = "00:00:10" }, clock).StartAsync();
        var admin = node.Admin();
        var id = TestApi.NewOrgId("k");
        await admin.CreateOrganisationAsync(id);
        var created = await (await admin.PostAsync($"/v1/organisations/{id}/api-keys", TestApi.Json(new { name = "svc", scopes = new[] { "admin" } }))).ReadJsonAsync();
        var oldKey = created["key"]!.GetValue<string>();
        await (await node.Client(oldKey).PostAsync($"/v1/organisations/{id}/api-keys/{created["id"]!.GetValue<string>()}/rotate", null)).ReadJsonAsync();
        Assert.Equal(HttpStatusCode.OK, (await node.Client(oldKey).GetAsync($"/v1/organisations/{id}")).StatusCode); // verified with the previous secret

        clock.Set(clock.GetUtcNow().AddSeconds(11)); // past the grace, well inside the key cache's 30 s

        await (await node.Client(oldKey).GetAsync($"/v1/organisations/{id}")).AssertProblemAsync(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task A_rate_limit_hit_is_a_429_with_retry_after_and_a_problem()
    {
        await using var database = await TestDatabase.CreateAsync();
        await using var node = await new TaskeeNode(database, new Dictionary<string, string?>
        {
            ["RateLimits:Plans:starter:AdminPerSecond"] = "1",
            ["RateLimits:Plans:starter:UsagePerSecond"] = "50",
        }).StartAsync();
        var admin = node.Admin();
        var id = TestApi.NewOrgId("r");
        await admin.CreateOrganisationAsync(id, "starter");
        var client = node.Client(await admin.CreateKeyAsync(id, "admin", "usage"));

        var responses = new List<HttpResponseMessage>();
        for (var i = 0; i < 6; i++) responses.Add(await client.GetAsync($"/v1/organisations/{id}"));
        var usage = await client.PostAsync($"/v1/organisations/{id}/usage/ai_calls/check", TestApi.Json(new { amount = 1 }));

        var limited = responses.First(r => r.StatusCode == HttpStatusCode.TooManyRequests);
        await limited.AssertProblemAsync(HttpStatusCode.TooManyRequests);
        Assert.True(limited.Headers.RetryAfter?.Delta >= TimeSpan.FromSeconds(1));
        Assert.Equal(HttpStatusCode.OK, usage.StatusCode); // the product API has its own budget
        for (var i = 0; i < 6; i++) Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync($"/v1/organisations/{id}")).StatusCode); // platform keys are not limited
    }
}

using System.Net;
using Taskee.Tests.Infrastructure;

namespace Taskee.Tests.Endpoints;

public sealed class PlanAndFlagTests(NodeFixture fixture) : IClassFixture<NodeFixture>
{
    private readonly HttpClient _admin = fixture.Node.Admin();

    [Theory]
    [InlineData("pro")]
    [InlineData("zorg-deal-roundtrip")]
    public async Task A_plan_read_with_get_can_be_put_back_unchanged(string planId)
    {
        if (planId != "pro")
            (await _admin.PutAsync($"/v1/plans/{planId}", TestApi.Json("""{"name":"Deal","limits":{"ai_calls":5,"storage_bytes":5,"seats":5},"features":["sso"]}"""))).EnsureSuccessStatusCode();
        var plan = (await _admin.GetJsonAsync("/v1/plans"))["items"]!.AsArray().Single(p => p!["id"]!.GetValue<string>() == planId)!;

        var response = await _admin.PutAsync($"/v1/plans/{planId}", TestApi.Json(plan.ToJsonString()));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var after = (await _admin.GetJsonAsync("/v1/plans"))["items"]!.AsArray().Single(p => p!["id"]!.GetValue<string>() == planId)!;
        Assert.Equal(plan["version"]!.GetValue<long>(), after["version"]!.GetValue<long>()); // nothing changed, no new version
    }

    [Fact]
    public async Task A_flag_read_with_get_can_be_put_back_unchanged()
    {
        var key = "roundtrip-" + Guid.NewGuid().ToString("N")[..6];
        (await _admin.PutAsync($"/v1/flags/{key}", TestApi.Json(new { enabled = true, rolloutPercent = 25, plans = new[] { "pro" }, allow = Array.Empty<string>(), deny = Array.Empty<string>() }))).EnsureSuccessStatusCode();
        var flag = (await _admin.GetJsonAsync("/v1/flags"))["items"]!.AsArray().Single(f => f!["key"]!.GetValue<string>() == key)!;

        var response = await _admin.PutAsync($"/v1/flags/{key}", TestApi.Json(flag.ToJsonString()));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Theory]
    [InlineData("/v1/plans/pro", """{"id":"starter","name":"Pro","limits":{"ai_calls":1,"storage_bytes":1,"seats":1},"features":[]}""", "id")]
    [InlineData("/v1/plans/pro", """{"custom":true,"name":"Pro","limits":{"ai_calls":1,"storage_bytes":1,"seats":1},"features":[]}""", "custom")]
    [InlineData("/v1/flags/some-flag", """{"key":"other-flag","enabled":true,"rolloutPercent":0}""", "key")]
    public async Task A_read_only_field_that_contradicts_the_path_is_a_400_naming_it(string path, string body, string field)
    {
        var problem = await (await _admin.PutAsync(path, TestApi.Json(body))).AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.NotNull(problem["errors"]![field]);
    }

    [Fact]
    public async Task The_catalog_has_the_three_public_plans()
    {
        var plans = await _admin.GetJsonAsync("/v1/plans");
        var ids = plans["items"]!.AsArray().Select(p => p!["id"]!.GetValue<string>()).ToList();
        Assert.Contains("starter", ids);
        Assert.Contains("pro", ids);
        Assert.Contains("enterprise", ids);
    }

    [Fact]
    public async Task A_custom_plan_can_be_created_and_assigned_to_an_organisation()
    {
        var planId = "deal-" + Guid.NewGuid().ToString("N")[..8];
        var put = await _admin.PutAsync($"/v1/plans/{planId}", TestApi.Json(new
        {
            name = "Zorggroep deal",
            limits = new { ai_calls = 500_000, storage_bytes = 10_000_000_000_000, seats = 2500 },
            features = new[] { "sso", "scim", "audit_export" },
        }));
        Assert.Equal(HttpStatusCode.Created, put.StatusCode);
        Assert.True((await put.ReadJsonAsync())["custom"]!.GetValue<bool>());

        var id = TestApi.NewOrgId();
        await _admin.CreateOrganisationAsync(id, planId);
        var entitlements = await _admin.GetJsonAsync($"/v1/organisations/{id}/entitlements");
        Assert.Equal(2500, entitlements["limits"]!["seats"]!["limit"]!.GetValue<long>());
        Assert.True(entitlements["features"]!["scim"]!["enabled"]!.GetValue<bool>());
        Assert.False(entitlements["features"]!["api_access"]!["enabled"]!.GetValue<bool>());

        var update = await _admin.PutAsync($"/v1/plans/{planId}", TestApi.Json(new
        {
            name = "Zorggroep deal",
            limits = new { ai_calls = 500_000, storage_bytes = 10_000_000_000_000, seats = 3000 },
            features = new[] { "sso", "scim", "audit_export", "api_access" },
        }));
        Assert.Equal(HttpStatusCode.OK, update.StatusCode);
        var changed = await _admin.GetJsonAsync($"/v1/organisations/{id}/entitlements");
        Assert.Equal(3000, changed["limits"]!["seats"]!["limit"]!.GetValue<long>());
        Assert.True(changed["features"]!["api_access"]!["enabled"]!.GetValue<bool>());
    }

    [Theory]
    [InlineData("""{"name":"x","limits":{"ai_calls":1,"storage_bytes":1},"features":[]}""")]
    [InlineData("""{"name":"x","limits":{"ai_calls":1,"storage_bytes":1,"seats":-3},"features":[]}""")]
    [InlineData("""{"name":"x","limits":{"ai_calls":1,"storage_bytes":1,"seats":1,"cpu":1},"features":[]}""")]
    [InlineData("""{"name":"x","limits":{"ai_calls":1,"storage_bytes":1,"seats":1},"features":["Bad Feature"]}""")]
    [InlineData("""{"limits":{"ai_calls":1,"storage_bytes":1,"seats":1},"features":[]}""")]
    public async Task A_bad_plan_is_a_400_and_is_not_stored(string body)
    {
        var planId = "bad-" + Guid.NewGuid().ToString("N")[..8];
        var response = await _admin.PutAsync($"/v1/plans/{planId}", TestApi.Json(body));

        await response.AssertProblemAsync(HttpStatusCode.BadRequest);
        var plans = await _admin.GetJsonAsync("/v1/plans");
        Assert.DoesNotContain(plans["items"]!.AsArray(), p => p!["id"]!.GetValue<string>() == planId);
    }

    [Fact]
    public async Task A_flag_rolls_out_by_allow_list_and_the_kill_switch_turns_it_off_everywhere()
    {
        var flag = "beta-" + Guid.NewGuid().ToString("N")[..8];
        var insider = TestApi.NewOrgId("insider");
        var other = TestApi.NewOrgId("other");
        await _admin.CreateOrganisationAsync(insider);
        await _admin.CreateOrganisationAsync(other);

        var created = await _admin.PutAsync($"/v1/flags/{flag}", TestApi.Json(new { enabled = true, rolloutPercent = 0, plans = Array.Empty<string>(), allow = new[] { insider }, deny = Array.Empty<string>() }));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);

        var insiderOn = await _admin.GetJsonAsync($"/v1/organisations/{insider}/entitlements");
        var otherOff = await _admin.GetJsonAsync($"/v1/organisations/{other}/entitlements");
        Assert.Equal("allow_list", insiderOn["features"]![flag]!["reason"]!.GetValue<string>());
        Assert.True(insiderOn["features"]![flag]!["enabled"]!.GetValue<bool>());
        Assert.Equal("flag_rollout_excluded", otherOff["features"]![flag]!["reason"]!.GetValue<string>());

        await _admin.PutAsync($"/v1/flags/{flag}", TestApi.Json(new { enabled = false, rolloutPercent = 100, allow = new[] { insider } }));
        var killed = await _admin.GetJsonAsync($"/v1/organisations/{insider}/entitlements");
        Assert.False(killed["features"]![flag]!["enabled"]!.GetValue<bool>());
        Assert.Equal("kill_switch", killed["features"]![flag]!["reason"]!.GetValue<string>());

        var flags = await _admin.GetJsonAsync("/v1/flags");
        Assert.Contains(flags["items"]!.AsArray(), f => f!["key"]!.GetValue<string>() == flag && !f["enabled"]!.GetValue<bool>());

        var platformEvents = await _admin.GetJsonAsync("/v1/audit?limit=1000");
        var actions = platformEvents["items"]!.AsArray().Where(e => e!["target"]!.GetValue<string>() == $"flags/{flag}")
            .Select(e => e!["action"]!.GetValue<string>());
        Assert.Equal(["flag.created", "flag.killed"], actions);
    }

    [Fact]
    public async Task A_flag_targeting_plans_leaves_other_plans_out()
    {
        var flag = "pro-only-" + Guid.NewGuid().ToString("N")[..8];
        var starter = TestApi.NewOrgId();
        await _admin.CreateOrganisationAsync(starter, "starter");
        await _admin.PutAsync($"/v1/flags/{flag}", TestApi.Json(new { enabled = true, rolloutPercent = 100, plans = new[] { "pro" } }));

        var entitlements = await _admin.GetJsonAsync($"/v1/organisations/{starter}/entitlements");

        Assert.Equal("plan_not_targeted", entitlements["features"]![flag]!["reason"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("""{"enabled":true,"rolloutPercent":101}""")]
    [InlineData("""{"enabled":true,"rolloutPercent":-1}""")]
    [InlineData("""{"enabled":true,"rolloutPercent":10.005}""")]
    [InlineData("""{"rolloutPercent":10}""")]
    [InlineData("""{"enabled":true,"rolloutPercent":10,"plans":["diamond"]}""")]
    [InlineData("""{"enabled":true,"rolloutPercent":10,"allow":["NOT A SLUG"]}""")]
    public async Task A_bad_flag_is_a_400_and_is_not_stored(string body)
    {
        var flag = "bad-" + Guid.NewGuid().ToString("N")[..8];
        var response = await _admin.PutAsync($"/v1/flags/{flag}", TestApi.Json(body));

        await response.AssertProblemAsync(HttpStatusCode.BadRequest);
        var flags = await _admin.GetJsonAsync("/v1/flags");
        Assert.DoesNotContain(flags["items"]!.AsArray(), f => f!["key"]!.GetValue<string>() == flag);
    }
}

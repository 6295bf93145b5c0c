using System.Net;
using System.Text.Json.Nodes;
using Taskee.Tests.Infrastructure;

namespace Taskee.Tests.Sales;

/// <summary>The onboarding checklist of an organisation made from a won quote: steps follow real state, 14 days to finish.</summary>
public sealed class OnboardingChecklistTests(OnboardingNodeFixture fixture) : IClassFixture<OnboardingNodeFixture>
{
    private readonly HttpClient _public = fixture.Node.Client(null);
    private readonly HttpClient _admin = fixture.Node.Admin();

    private async Task<(string LeadId, string OrgId)> WonOrganisationAsync(string[] addOns)
    {
        var (leadId, quote) = await WonQuotes.QuoteAsync(_admin, _public, addOns);
        return (leadId, await WonQuotes.WinAsync(_admin, quote["id"]!.GetValue<string>()));
    }

    private static Dictionary<string, JsonNode> Steps(JsonNode onboarding) =>
        onboarding["steps"]!.AsArray().ToDictionary(s => s!["key"]!.GetValue<string>(), s => s!);

    [Fact]
    public async Task Steps_turn_done_as_the_account_manager_admins_sso_scim_and_first_use_happen_and_the_dpa_is_ticked()
    {
        var (leadId, orgId) = await WonOrganisationAsync(["sso", "scim"]);
        var owner = fixture.Node.Client(await _admin.CreateKeyAsync(orgId, "owner"));

        var start = await owner.GetJsonAsync($"/v1/organisations/{orgId}/onboarding");
        Assert.Equal(["account_manager_assigned", "admins_invited", "sso_configured", "scim_connected", "first_usage", "dpa_signed"],
            Steps(start).Keys.ToArray());
        Assert.All(Steps(start).Values, s => Assert.False(s["done"]!.GetValue<bool>()));
        Assert.Equal(0, start["daysSinceStart"]!.GetValue<int>());
        Assert.Equal(14, start["targetDays"]!.GetValue<int>());
        Assert.False(start["overdue"]!.GetValue<bool>());
        Assert.False(start["complete"]!.GetValue<bool>());
        Assert.True(start["provisioned"]!.GetValue<bool>());

        Assert.Equal(HttpStatusCode.OK, (await _admin.PatchAsync($"/v1/leads/{leadId}", TestApi.Json(new { owner = "Sanne (sales)" }))).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await owner.PostAsync($"/v1/organisations/{orgId}/members",
            TestApi.Json(new { userId = "admin-1", email = "it@zorggroep.example.nl", role = "admin" }))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await owner.PutAsync($"/v1/organisations/{orgId}/sso",
            TestApi.Json(new { issuer = $"https://login.example.com/{orgId}", audience = "taskee" }))).StatusCode);
        var afterThree = Steps(await owner.GetJsonAsync($"/v1/organisations/{orgId}/onboarding"));
        Assert.True(afterThree["account_manager_assigned"]["done"]!.GetValue<bool>());
        Assert.True(afterThree["admins_invited"]["done"]!.GetValue<bool>());
        Assert.True(afterThree["sso_configured"]["done"]!.GetValue<bool>());
        Assert.NotNull(afterThree["sso_configured"]["doneAt"]);
        Assert.False(afterThree["scim_connected"]["done"]!.GetValue<bool>());
        Assert.False(afterThree["first_usage"]["done"]!.GetValue<bool>());

        var scim = fixture.Node.Client(await _admin.CreateKeyAsync(orgId, "scim"));
        Assert.Equal(HttpStatusCode.OK, (await scim.GetAsync("/scim/v2/Users")).StatusCode);
        await fixture.Node.Client(await _admin.CreateKeyAsync(orgId, "usage")).UsageAsync(orgId, "ai_calls", "consume", 1);
        var afterUse = Steps(await owner.GetJsonAsync($"/v1/organisations/{orgId}/onboarding"));
        Assert.True(afterUse["scim_connected"]["done"]!.GetValue<bool>());
        Assert.True(afterUse["first_usage"]["done"]!.GetValue<bool>());
        Assert.False(afterUse["dpa_signed"]["done"]!.GetValue<bool>());

        var ticked = await (await owner.PutAsync($"/v1/organisations/{orgId}/onboarding/steps/dpa_signed", TestApi.Json(new { done = true }))).ReadJsonAsync();
        Assert.True(Steps(ticked)["dpa_signed"]["done"]!.GetValue<bool>());
        Assert.True(ticked["complete"]!.GetValue<bool>());
        Assert.NotNull(ticked["completedAt"]);

        var recorded = (await _admin.AuditEventsAsync(orgId)).Where(e => e["action"]!.GetValue<string>() == "onboarding.step.done").ToList();
        Assert.Equal(6, recorded.Count); // each step once, however often the checklist was read

        fixture.Advance(TimeSpan.FromDays(15));
        var later = await owner.GetJsonAsync($"/v1/organisations/{orgId}/onboarding");
        Assert.True(later["daysSinceStart"]!.GetValue<int>() >= 15);
        Assert.False(later["overdue"]!.GetValue<bool>()); // finished in time
    }

    [Fact]
    public async Task An_unfinished_onboarding_is_overdue_after_14_days_and_steps_follow_the_features_bought()
    {
        var (_, orgId) = await WonOrganisationAsync(["sso"]);
        var onboarding = await _admin.GetJsonAsync($"/v1/organisations/{orgId}/onboarding");
        Assert.DoesNotContain("scim_connected", Steps(onboarding).Keys); // SCIM was not bought
        Assert.Contains("sso_configured", Steps(onboarding).Keys);

        fixture.Advance(TimeSpan.FromDays(14) + TimeSpan.FromHours(1));
        var late = await _admin.GetJsonAsync($"/v1/organisations/{orgId}/onboarding");
        Assert.Equal(14, late["daysSinceStart"]!.GetValue<int>());
        Assert.True(late["overdue"]!.GetValue<bool>());
    }

    [Fact]
    public async Task Only_the_organisations_owners_admins_and_platform_staff_read_it_and_other_organisations_have_none()
    {
        var (_, a) = await WonOrganisationAsync(["sso"]);
        var (_, b) = await WonOrganisationAsync(["sso"]);
        var ownerOfA = fixture.Node.Client(await _admin.CreateKeyAsync(a, "owner"));
        var adminOfA = fixture.Node.Client(await _admin.CreateKeyAsync(a, "admin"));
        var memberOfA = fixture.Node.Client(await _admin.CreateKeyAsync(a, "member"));

        await adminOfA.GetJsonAsync($"/v1/organisations/{a}/onboarding");
        await (await ownerOfA.GetAsync($"/v1/organisations/{b}/onboarding")).AssertProblemAsync(HttpStatusCode.NotFound);
        await (await ownerOfA.PutAsync($"/v1/organisations/{b}/onboarding/steps/dpa_signed", TestApi.Json(new { done = true })))
            .AssertProblemAsync(HttpStatusCode.NotFound);
        Assert.False(Steps(await _admin.GetJsonAsync($"/v1/organisations/{b}/onboarding"))["dpa_signed"]["done"]!.GetValue<bool>());
        await (await memberOfA.GetAsync($"/v1/organisations/{a}/onboarding")).AssertProblemAsync(HttpStatusCode.Forbidden);
        await (await _public.GetAsync($"/v1/organisations/{a}/onboarding")).AssertProblemAsync(HttpStatusCode.Unauthorized);

        var plain = TestApi.NewOrgId("plain");
        await _admin.CreateOrganisationAsync(plain);
        var none = await (await _admin.GetAsync($"/v1/organisations/{plain}/onboarding")).AssertProblemAsync(HttpStatusCode.NotFound);
        Assert.Contains("no onboarding", none["detail"]!.GetValue<string>());
        await (await _admin.GetAsync("/v1/organisations/no-such-org/onboarding")).AssertProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Ticking_needs_a_known_manual_step_and_a_done_flag_and_unticking_undoes_it()
    {
        var (_, orgId) = await WonOrganisationAsync([]);
        var path = $"/v1/organisations/{orgId}/onboarding/steps";
        var unknown = await (await _admin.PutAsync($"{path}/coffee", TestApi.Json(new { done = true }))).AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.NotNull(unknown["errors"]!["step"]);
        await (await _admin.PutAsync($"{path}/first_usage", TestApi.Json(new { done = true }))).AssertProblemAsync(HttpStatusCode.Conflict);
        var missing = await (await _admin.PutAsync($"{path}/dpa_signed", TestApi.Json(new { }))).AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.NotNull(missing["errors"]!["done"]);
        Assert.False(Steps(await _admin.GetJsonAsync($"/v1/organisations/{orgId}/onboarding"))["first_usage"]["done"]!.GetValue<bool>());

        Assert.True(Steps(await (await _admin.PutAsync($"{path}/dpa_signed", TestApi.Json(new { done = true }))).ReadJsonAsync())["dpa_signed"]["done"]!.GetValue<bool>());
        Assert.False(Steps(await (await _admin.PutAsync($"{path}/dpa_signed", TestApi.Json(new { done = false }))).ReadJsonAsync())["dpa_signed"]["done"]!.GetValue<bool>());
        var actions = (await _admin.AuditEventsAsync(orgId)).Select(e => e["action"]!.GetValue<string>()).ToList();
        Assert.Contains("onboarding.step.done", actions);
        Assert.Contains("onboarding.step.cleared", actions);
    }
}

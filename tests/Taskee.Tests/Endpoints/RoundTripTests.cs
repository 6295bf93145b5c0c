using System.Net;
using Taskee.Tests.Infrastructure;

namespace Taskee.Tests.Endpoints;

/// <summary>
/// What GET returns can be sent back with PUT: read-only fields are accepted, and sending back an unchanged
/// representation changes nothing (no new audit event). Plans and flags are covered in <see cref="PlanAndFlagTests"/>.
/// </summary>
public sealed class RoundTripTests(NodeFixture fixture) : IClassFixture<NodeFixture>
{
    private readonly HttpClient _admin = fixture.Node.Admin();

    [Fact]
    public async Task A_custom_role_read_with_get_can_be_put_back_unchanged()
    {
        var id = TestApi.NewOrgId();
        await _admin.CreateOrganisationAsync(id, "enterprise");
        (await _admin.PutAsync($"/v1/organisations/{id}/roles/planner", TestApi.Json(new { permissions = new[] { "org:read", "members:read" } }))).EnsureSuccessStatusCode();
        var role = await _admin.GetJsonAsync($"/v1/organisations/{id}/roles/planner");
        var eventsBefore = (await _admin.AuditEventsAsync(id)).Count;

        var response = await _admin.PutAsync($"/v1/organisations/{id}/roles/planner", TestApi.Json(role.ToJsonString()));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(role.ToJsonString(), (await response.ReadJsonAsync()).ToJsonString());
        Assert.Equal(eventsBefore, (await _admin.AuditEventsAsync(id)).Count);
    }

    [Theory]
    [InlineData("""{"role":"other","builtIn":false,"permissions":["org:read"]}""", "role")]
    [InlineData("""{"role":"planner","builtIn":true,"permissions":["org:read"]}""", "builtIn")]
    public async Task A_role_whose_read_only_fields_contradict_the_request_is_a_400_naming_them(string body, string field)
    {
        var id = TestApi.NewOrgId();
        await _admin.CreateOrganisationAsync(id, "enterprise");

        var problem = await (await _admin.PutAsync($"/v1/organisations/{id}/roles/planner", TestApi.Json(body))).AssertProblemAsync(HttpStatusCode.BadRequest);

        Assert.NotNull(problem["errors"]![field]);
        await (await _admin.GetAsync($"/v1/organisations/{id}/roles/planner")).AssertProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Sso_settings_read_with_get_can_be_put_back_unchanged()
    {
        var id = TestApi.NewOrgId();
        await _admin.CreateOrganisationAsync(id, "enterprise");
        var issuer = $"https://login.example.invalid/{id}";
        (await _admin.PutAsync($"/v1/organisations/{id}/sso", TestApi.Json(new { issuer, audience = "taskee", orgClaim = "org_id" }))).EnsureSuccessStatusCode();
        var sso = await _admin.GetJsonAsync($"/v1/organisations/{id}/sso");

        var response = await _admin.PutAsync($"/v1/organisations/{id}/sso", TestApi.Json(sso.ToJsonString()));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(sso.ToJsonString(), (await _admin.GetJsonAsync($"/v1/organisations/{id}/sso")).ToJsonString());
    }

    [Fact]
    public async Task A_billing_state_read_with_get_can_be_put_back_unchanged()
    {
        var id = TestApi.NewOrgId();
        await _admin.CreateOrganisationAsync(id, "pro");
        var customer = "cus_" + Guid.NewGuid().ToString("N")[..14];
        (await _admin.PutAsync($"/v1/organisations/{id}/billing", TestApi.Json(new { stripeCustomerId = customer }))).EnsureSuccessStatusCode();
        var billing = await _admin.GetJsonAsync($"/v1/organisations/{id}/billing");

        var response = await _admin.PutAsync($"/v1/organisations/{id}/billing", TestApi.Json(billing.ToJsonString()));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var after = await _admin.GetJsonAsync($"/v1/organisations/{id}/billing");
        Assert.Equal(billing["version"]!.GetValue<long>(), after["version"]!.GetValue<long>()); // nothing changed, no new version
        Assert.Equal(customer, after["stripeCustomerId"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_billing_state_naming_another_organisation_is_a_400_and_links_nothing()
    {
        var id = TestApi.NewOrgId();
        await _admin.CreateOrganisationAsync(id, "pro");

        var problem = await (await _admin.PutAsync($"/v1/organisations/{id}/billing",
            TestApi.Json(new { orgId = "someone-else", stripeCustomerId = "cus_" + Guid.NewGuid().ToString("N")[..14] }))).AssertProblemAsync(HttpStatusCode.BadRequest);

        Assert.NotNull(problem["errors"]!["orgId"]);
        Assert.Null((await _admin.GetJsonAsync($"/v1/organisations/{id}/billing"))["stripeCustomerId"]?.GetValue<string>());
    }

    [Fact]
    public async Task A_feature_decision_read_with_get_can_be_put_back_as_the_override()
    {
        var id = TestApi.NewOrgId();
        await _admin.CreateOrganisationAsync(id, "enterprise");
        var feature = await _admin.GetJsonAsync($"/v1/organisations/{id}/features/sso");

        var response = await _admin.PutAsync($"/v1/organisations/{id}/features/sso", TestApi.Json(feature.ToJsonString()));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var after = await _admin.GetJsonAsync($"/v1/organisations/{id}/features/sso");
        Assert.Equal(feature["enabled"]!.GetValue<bool>(), after["enabled"]!.GetValue<bool>());
    }
}

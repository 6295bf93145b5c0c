using System.Net;
using Taskee.Tests.Infrastructure;

namespace Taskee.Tests.Endpoints;

public sealed class LimitsAndFeaturesTests(NodeFixture fixture) : IClassFixture<NodeFixture>
{
    private readonly HttpClient _admin = fixture.Node.Admin();

    [Fact]
    public async Task A_limit_override_shows_in_entitlements_and_delete_returns_to_the_plan_default()
    {
        var id = TestApi.NewOrgId();
        await _admin.CreateOrganisationAsync(id, "starter");

        var put = await _admin.PutAsync($"/v1/organisations/{id}/limits/ai_calls", TestApi.Json(new { limit = 12345 }));
        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        var overridden = await _admin.GetJsonAsync($"/v1/organisations/{id}/entitlements");
        Assert.Equal(12345, overridden["limits"]!["ai_calls"]!["limit"]!.GetValue<long>());
        Assert.Equal("override", overridden["limits"]!["ai_calls"]!["source"]!.GetValue<string>());

        var delete = await _admin.DeleteAsync($"/v1/organisations/{id}/limits/ai_calls");
        Assert.Equal(HttpStatusCode.OK, delete.StatusCode);
        var reset = await _admin.GetJsonAsync($"/v1/organisations/{id}/entitlements");
        Assert.Equal(1000, reset["limits"]!["ai_calls"]!["limit"]!.GetValue<long>());
        Assert.Equal("plan", reset["limits"]!["ai_calls"]!["source"]!.GetValue<string>());

        var actions = (await _admin.AuditEventsAsync(id)).Select(e => e["action"]!.GetValue<string>());
        Assert.Equal(["org.created", "org.limit.set", "org.limit.reset"], actions);
    }

    [Theory]
    [InlineData("ai_calls", """{"limit":-1}""")]
    [InlineData("ai_calls", """{"limit":1000000000000000001}""")]
    [InlineData("ai_calls", """{"limit":99999999999999999999999}""")]
    [InlineData("ai_calls", """{"limit":1.5}""")]
    [InlineData("ai_calls", """{"limit":"10"}""")]
    [InlineData("ai_calls", """{}""")]
    [InlineData("bananas", """{"limit":10}""")]
    public async Task A_bad_limit_is_a_400_problem_and_changes_nothing(string metric, string body)
    {
        var id = TestApi.NewOrgId();
        await _admin.CreateOrganisationAsync(id, "starter");

        var response = await _admin.PutAsync($"/v1/organisations/{id}/limits/{metric}", TestApi.Json(body));

        await response.AssertProblemAsync(HttpStatusCode.BadRequest);
        var entitlements = await _admin.GetJsonAsync($"/v1/organisations/{id}/entitlements");
        Assert.Equal(1000, entitlements["limits"]!["ai_calls"]!["limit"]!.GetValue<long>());
        Assert.Single(await _admin.AuditEventsAsync(id));
    }

    [Theory]
    [InlineData("""{"limit":"10"}""", "'limit' in the request body has the wrong type")]
    [InlineData("""{"limit":true}""", "'limit' in the request body has the wrong type")]
    [InlineData("""{"limit":10,"extra":1}""", "'extra' is not a field of this request")]
    [InlineData("""[1]""", "must be a JSON object")]
    [InlineData("""{"limit":""", "not valid JSON")]
    public async Task A_malformed_body_is_described_by_its_field_and_never_by_a_dotnet_type(string body, string expected)
    {
        var id = TestApi.NewOrgId();
        await _admin.CreateOrganisationAsync(id, "starter");

        var problem = await (await _admin.PutAsync($"/v1/organisations/{id}/limits/ai_calls", TestApi.Json(body))).AssertProblemAsync(HttpStatusCode.BadRequest);

        var detail = problem["detail"]!.GetValue<string>();
        Assert.Contains(expected, detail);
        Assert.DoesNotContain("Taskee.", detail);
        Assert.DoesNotContain("System.", detail);
        Assert.DoesNotContain(".NET", detail);
    }

    [Fact]
    public async Task A_feature_override_wins_over_the_plan_until_deleted()
    {
        var id = TestApi.NewOrgId();
        await _admin.CreateOrganisationAsync(id, "starter");

        await _admin.PutAsync($"/v1/organisations/{id}/features/sso", TestApi.Json(new { enabled = true }));
        var on = await _admin.GetJsonAsync($"/v1/organisations/{id}/entitlements");
        Assert.True(on["features"]!["sso"]!["enabled"]!.GetValue<bool>());
        Assert.Equal("override", on["features"]!["sso"]!["reason"]!.GetValue<string>());

        await _admin.DeleteAsync($"/v1/organisations/{id}/features/sso");
        var off = await _admin.GetJsonAsync($"/v1/organisations/{id}/entitlements");
        Assert.False(off["features"]!["sso"]!["enabled"]!.GetValue<bool>());
        Assert.Equal("not_in_plan", off["features"]!["sso"]!["reason"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("sso", """{"enabled":"yes"}""")]
    [InlineData("sso", """{}""")]
    [InlineData("SSO!", """{"enabled":true}""")]
    public async Task A_bad_feature_override_is_a_400_problem(string feature, string body)
    {
        var id = TestApi.NewOrgId();
        await _admin.CreateOrganisationAsync(id, "starter");

        var response = await _admin.PutAsync($"/v1/organisations/{id}/features/{feature}", TestApi.Json(body));

        await response.AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.Single(await _admin.AuditEventsAsync(id));
    }

    [Fact]
    public async Task Entitlements_follow_the_plan_after_a_plan_change()
    {
        var id = TestApi.NewOrgId();
        await _admin.CreateOrganisationAsync(id, "starter");
        var before = await _admin.GetJsonAsync($"/v1/organisations/{id}/entitlements");

        await _admin.PatchAsync($"/v1/organisations/{id}", TestApi.Json(new { plan = "enterprise" }));
        var after = await _admin.GetJsonAsync($"/v1/organisations/{id}/entitlements");

        Assert.False(before["features"]!["audit_export"]!["enabled"]!.GetValue<bool>());
        Assert.True(after["features"]!["audit_export"]!["enabled"]!.GetValue<bool>());
        Assert.Equal(250_000, after["limits"]!["ai_calls"]!["limit"]!.GetValue<long>());
        Assert.Equal(2, after["version"]!.GetValue<long>());
    }

    [Fact]
    public async Task Entitlements_carry_an_etag_and_answer_304_when_unchanged()
    {
        var id = TestApi.NewOrgId();
        await _admin.CreateOrganisationAsync(id);
        var first = await _admin.GetAsync($"/v1/organisations/{id}/entitlements");
        var etag = first.Headers.ETag!.Tag;

        var request = new HttpRequestMessage(HttpMethod.Get, $"/v1/organisations/{id}/entitlements");
        request.Headers.TryAddWithoutValidation("If-None-Match", etag);
        var second = await _admin.SendAsync(request);

        Assert.Equal(HttpStatusCode.NotModified, second.StatusCode);
    }
}

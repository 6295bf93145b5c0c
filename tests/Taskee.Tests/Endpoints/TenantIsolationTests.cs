using System.Net;
using Taskee.Tests.Infrastructure;

namespace Taskee.Tests.Endpoints;

/// <summary>A caller of organisation A gets 404 on every path of organisation B, and B is left as it was.</summary>
public sealed class TenantIsolationTests(NodeFixture fixture) : IClassFixture<NodeFixture>
{
    private readonly HttpClient _admin = fixture.Node.Admin();

    public static TheoryData<string, string, string?> OrganisationEndpoints => new()
    {
        { "GET", "/v1/organisations/{b}", null },
        { "PATCH", "/v1/organisations/{b}", """{"name":"hijacked"}""" },
        { "PUT", "/v1/organisations/{b}/limits/ai_calls", """{"limit":1}""" },
        { "DELETE", "/v1/organisations/{b}/limits/ai_calls", null },
        { "PUT", "/v1/organisations/{b}/features/sso", """{"enabled":true}""" },
        { "DELETE", "/v1/organisations/{b}/features/sso", null },
        { "GET", "/v1/organisations/{b}/entitlements", null },
        { "GET", "/v1/organisations/{b}/audit", null },
        { "GET", "/v1/organisations/{b}/audit/export?format=ndjson", null },
        { "GET", "/v1/organisations/{b}/audit/export?format=csv", null },
        { "POST", "/v1/organisations/{b}/api-keys", """{"name":"x","scopes":["admin"]}""" },
        { "GET", "/v1/organisations/{b}/api-keys", null },
        { "DELETE", "/v1/organisations/{b}/api-keys/{bKey}", null },
        { "PATCH", "/v1/organisations/{b}/members/anyone", """{"role":"admin"}""" },
        { "GET", "/v1/organisations/{b}/onboarding", null },
        { "PUT", "/v1/organisations/{b}/onboarding/steps/dpa_signed", """{"done":true}""" },
    };

    [Theory]
    [MemberData(nameof(OrganisationEndpoints))]
    public async Task A_key_of_organisation_a_gets_404_on_organisation_b_and_b_is_unchanged(string method, string template, string? body)
    {
        var a = TestApi.NewOrgId("a");
        var b = TestApi.NewOrgId("b");
        await _admin.CreateOrganisationAsync(a, "enterprise");
        await _admin.CreateOrganisationAsync(b, "enterprise");
        var keyOfA = await _admin.CreateKeyAsync(a, "admin", "usage");
        await _admin.CreateKeyAsync(b, "admin");
        var bKeyId = (await _admin.GetJsonAsync($"/v1/organisations/{b}/api-keys"))["items"]!.AsArray()[^1]!["id"]!.GetValue<string>();
        var auditBefore = (await _admin.AuditEventsAsync(b)).Count;
        var organisationBefore = await _admin.GetStringAsync($"/v1/organisations/{b}");

        var request = new HttpRequestMessage(new HttpMethod(method), template.Replace("{b}", b).Replace("{bKey}", bKeyId));
        if (body is not null) request.Content = TestApi.Json(body);
        var response = await fixture.Node.Client(keyOfA).SendAsync(request);

        var problem = await response.AssertProblemAsync(HttpStatusCode.NotFound);
        Assert.Contains(b, problem["detail"]!.GetValue<string>());
        Assert.Equal(auditBefore, (await _admin.AuditEventsAsync(b)).Count);
        Assert.Equal(organisationBefore, await _admin.GetStringAsync($"/v1/organisations/{b}"));
        Assert.Single((await _admin.GetJsonAsync($"/v1/organisations/{b}/api-keys"))["items"]!.AsArray(), k => k!["revokedAt"] is null);
    }

    [Fact]
    public async Task The_404_for_another_tenant_looks_the_same_as_for_a_missing_organisation()
    {
        var a = TestApi.NewOrgId("a");
        var b = TestApi.NewOrgId("b");
        await _admin.CreateOrganisationAsync(a);
        await _admin.CreateOrganisationAsync(b);
        var client = fixture.Node.Client(await _admin.CreateKeyAsync(a, "admin"));

        var existing = await (await client.GetAsync($"/v1/organisations/{b}")).AssertProblemAsync(HttpStatusCode.NotFound);
        var missing = await (await _admin.GetAsync("/v1/organisations/zz-missing")).AssertProblemAsync(HttpStatusCode.NotFound);

        Assert.Equal(missing["title"]!.GetValue<string>(), existing["title"]!.GetValue<string>());
        Assert.Equal(missing["detail"]!.GetValue<string>().Replace("zz-missing", b), existing["detail"]!.GetValue<string>());
    }
}

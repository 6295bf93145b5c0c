using System.Net;
using Taskee.Tests.Infrastructure;

namespace Taskee.Tests.Quota;

/// <summary>The product API and members: a caller of organisation A gets 404 on B, and B's usage is untouched.</summary>
public sealed class QuotaTenantIsolationTests(NodeFixture fixture) : IClassFixture<NodeFixture>
{
    private readonly HttpClient _admin = fixture.Node.Admin();

    public static TheoryData<string, string, string?> Endpoints => new()
    {
        { "POST", "/v1/organisations/{b}/usage/ai_calls/check", """{"amount":1}""" },
        { "POST", "/v1/organisations/{b}/usage/ai_calls/consume", """{"amount":1}""" },
        { "POST", "/v1/organisations/{b}/usage/storage_bytes/consume", """{"amount":1}""" },
        { "POST", "/v1/organisations/{b}/usage/storage_bytes/release", """{"amount":1}""" },
        { "GET", "/v1/organisations/{b}/features/api_access", null },
        { "GET", "/v1/organisations/{b}/members", null },
        { "POST", "/v1/organisations/{b}/members", """{"userId":"intruder","email":"i@evil.example","role":"owner"}""" },
        { "DELETE", "/v1/organisations/{b}/members/ann", null },
    };

    [Theory]
    [MemberData(nameof(Endpoints))]
    public async Task A_key_of_a_gets_404_on_b_and_b_is_unchanged(string method, string template, string? body)
    {
        var a = TestApi.NewOrgId("a");
        var b = TestApi.NewOrgId("b");
        await _admin.CreateOrganisationAsync(a);
        await _admin.CreateOrganisationAsync(b);
        await _admin.PostAsync($"/v1/organisations/{b}/members", TestApi.Json(new { userId = "ann", email = "ann@b.example", role = "owner" }));
        var keyOfA = fixture.Node.Client(await _admin.CreateKeyAsync(a, "admin", "usage"));
        var before = await _admin.GetStringAsync($"/v1/organisations/{b}/entitlements");
        var auditBefore = (await _admin.AuditEventsAsync(b)).Count;

        var request = new HttpRequestMessage(new HttpMethod(method), template.Replace("{b}", b));
        if (body is not null) request.Content = TestApi.Json(body);
        var response = await keyOfA.SendAsync(request);

        await response.AssertProblemAsync(HttpStatusCode.NotFound);
        await fixture.Node.FlushAsync();
        Assert.Equal(before, await _admin.GetStringAsync($"/v1/organisations/{b}/entitlements"));
        Assert.Equal(auditBefore, (await _admin.AuditEventsAsync(b)).Count);
    }

    [Fact]
    public async Task Batch_items_of_another_organisation_are_404_items_and_consume_nothing()
    {
        var a = TestApi.NewOrgId("a");
        var b = TestApi.NewOrgId("b");
        await _admin.CreateOrganisationAsync(a);
        await _admin.CreateOrganisationAsync(b);
        var keyOfA = fixture.Node.Client(await _admin.CreateKeyAsync(a, "usage"));

        var response = await keyOfA.PostAsync("/v1/usage/batch", TestApi.Json(new
        {
            items = new[] { new { orgId = b, metric = "ai_calls", op = "consume", amount = 5 }, new { orgId = a, metric = "ai_calls", op = "consume", amount = 5 } },
        }));

        var results = (await response.ReadJsonAsync())["results"]!.AsArray();
        Assert.Equal(404, results[0]!["error"]!["status"]!.GetValue<int>());
        Assert.True(results[1]!["allowed"]!.GetValue<bool>());
        await fixture.Node.FlushAsync();
        Assert.Equal(0, (await _admin.GetJsonAsync($"/v1/organisations/{b}/entitlements"))["usage"]!["ai_calls"]!["used"]!.GetValue<long>());
    }

    [Fact]
    public async Task A_usage_key_cannot_manage_members_and_an_admin_key_cannot_consume()
    {
        var a = TestApi.NewOrgId("a");
        await _admin.CreateOrganisationAsync(a);
        var usage = fixture.Node.Client(await _admin.CreateKeyAsync(a, "usage"));
        var orgAdmin = fixture.Node.Client(await _admin.CreateKeyAsync(a, "admin"));

        await (await usage.PostAsync($"/v1/organisations/{a}/members", TestApi.Json(new { userId = "x", email = "x@a.example", role = "member" })))
            .AssertProblemAsync(HttpStatusCode.Forbidden);
        await (await orgAdmin.PostAsync($"/v1/organisations/{a}/usage/ai_calls/consume", TestApi.Json(new { amount = 1 })))
            .AssertProblemAsync(HttpStatusCode.Forbidden);
    }
}

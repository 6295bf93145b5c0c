using System.Net;
using Taskee.Tests.Infrastructure;

namespace Taskee.Tests.Webhooks;

/// <summary>Who may manage webhook endpoints: owner and admin write, platform support reads, and no tenant reaches another's.</summary>
public sealed class WebhookAccessTests(WebhookNodeFixture fixture) : IClassFixture<WebhookNodeFixture>
{
    private readonly HttpClient _admin = fixture.Node.Admin();

    private static readonly (string Method, string Path, string? Body, bool Writes)[] Routes =
    [
        ("GET", "/v1/organisations/{org}/webhooks", null, false),
        ("GET", "/v1/organisations/{org}/webhooks/{id}", null, false),
        ("POST", "/v1/organisations/{org}/webhooks", """{"url":"https://93.184.215.14/h","events":["*"]}""", true),
        ("PATCH", "/v1/organisations/{org}/webhooks/{id}", """{"description":"changed"}""", true),
        ("POST", "/v1/organisations/{org}/webhooks/{id}/rotate-secret", null, true),
        ("DELETE", "/v1/organisations/{org}/webhooks/{id}", null, true),
    ];

    /// <summary>Role (a token of the organisation, or of the platform for platform-support), route, and whether it is allowed.</summary>
    public static TheoryData<string, int, bool> Matrix()
    {
        var data = new TheoryData<string, int, bool>();
        for (var route = 0; route < Routes.Length; route++)
        {
            var writes = Routes[route].Writes;
            data.Add("owner", route, true);
            data.Add("admin", route, true);
            data.Add("billing", route, false);
            data.Add("auditor", route, false);
            data.Add("member", route, false);
            data.Add("platform-support", route, !writes);
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Matrix))]
    public async Task A_role_may_read_or_write_webhooks_exactly_as_the_role_table_says(string role, int route, bool allowed)
    {
        var (method, path, body, _) = Routes[route];
        var org = TestApi.NewOrgId("whr");
        await _admin.CreateOrganisationAsync(org);
        var id = (await _admin.CreateWebhookAsync(org)).Id();
        var token = role == "platform-support" ? fixture.Identity.Token(null, [role]) : fixture.Identity.Token(org, [role]);
        var before = await _admin.GetStringAsync($"{WebhookApi.Webhooks(org)}/{id}");

        var request = new HttpRequestMessage(new HttpMethod(method), path.Replace("{org}", org).Replace("{id}", id));
        if (body is not null) request.Content = TestApi.Json(body);
        var response = await fixture.Node.Client(token).SendAsync(request);

        if (allowed)
        {
            Assert.True(response.IsSuccessStatusCode, $"{role} {method} {path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        }
        else
        {
            await response.AssertProblemAsync(HttpStatusCode.Forbidden);
            Assert.Equal(before, await _admin.GetStringAsync($"{WebhookApi.Webhooks(org)}/{id}"));
            Assert.Single((await _admin.GetJsonAsync(WebhookApi.Webhooks(org)))["items"]!.AsArray());
        }
    }

    public static TheoryData<string, string, string?> OtherTenantsRoutes => new()
    {
        { "GET", "/v1/organisations/{b}/webhooks", null },
        { "POST", "/v1/organisations/{b}/webhooks", """{"url":"https://93.184.215.14/h","events":["*"]}""" },
        { "GET", "/v1/organisations/{b}/webhooks/{bHook}", null },
        { "PATCH", "/v1/organisations/{b}/webhooks/{bHook}", """{"url":"https://93.184.215.16/stolen","events":["*"]}""" },
        { "DELETE", "/v1/organisations/{b}/webhooks/{bHook}", null },
        { "POST", "/v1/organisations/{b}/webhooks/{bHook}/rotate-secret", null },
        // B's endpoint id under A's own organisation: the store's organisation condition, not only the route's.
        { "GET", "/v1/organisations/{a}/webhooks/{bHook}", null },
        { "PATCH", "/v1/organisations/{a}/webhooks/{bHook}", """{"enabled":false}""" },
        { "DELETE", "/v1/organisations/{a}/webhooks/{bHook}", null },
        { "POST", "/v1/organisations/{a}/webhooks/{bHook}/rotate-secret", null },
    };

    [Theory]
    [MemberData(nameof(OtherTenantsRoutes))]
    public async Task An_admin_of_organisation_a_gets_404_on_organisation_bs_endpoints_and_they_stay_as_they_were(string method, string template, string? body)
    {
        var a = TestApi.NewOrgId("wha");
        var b = TestApi.NewOrgId("whb");
        await _admin.CreateOrganisationAsync(a);
        await _admin.CreateOrganisationAsync(b);
        var adminOfA = fixture.Node.Client(await _admin.CreateKeyAsync(a, "admin"));
        var bHook = (await _admin.CreateWebhookAsync(b)).Id();
        var endpointBefore = await _admin.GetStringAsync($"{WebhookApi.Webhooks(b)}/{bHook}");
        var auditBefore = (await _admin.AuditEventsAsync(b)).Count;
        var wakesBefore = fixture.Wakes.Woken.Count(w => w == bHook);

        var request = new HttpRequestMessage(new HttpMethod(method), template.Replace("{a}", a).Replace("{b}", b).Replace("{bHook}", bHook));
        if (body is not null) request.Content = TestApi.Json(body);
        var response = await adminOfA.SendAsync(request);

        await response.AssertProblemAsync(HttpStatusCode.NotFound);
        Assert.Equal(endpointBefore, await _admin.GetStringAsync($"{WebhookApi.Webhooks(b)}/{bHook}"));
        Assert.Single((await _admin.GetJsonAsync(WebhookApi.Webhooks(b)))["items"]!.AsArray());
        Assert.Equal(auditBefore, (await _admin.AuditEventsAsync(b)).Count);
        Assert.Equal(wakesBefore, fixture.Wakes.Woken.Count(w => w == bHook));
    }

    [Fact]
    public async Task The_event_types_are_listed_to_any_authenticated_caller_and_to_nobody_else()
    {
        var org = TestApi.NewOrgId("whe");
        await _admin.CreateOrganisationAsync(org, "starter");
        var productService = fixture.Node.Client(await _admin.CreateKeyAsync(org, "usage"));

        Assert.Equal(HttpStatusCode.OK, (await productService.GetAsync("/v1/webhooks/event-types")).StatusCode);
        await (await fixture.Node.Client(null).GetAsync("/v1/webhooks/event-types")).AssertProblemAsync(HttpStatusCode.Unauthorized);
    }
}

using System.Diagnostics.Metrics;
using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Taskee.Client;
using Taskee.Tests.Infrastructure;

namespace Taskee.Tests.Sdk;

/// <summary>A product backend guarded with RequireFeature and ConsumesQuota, against a real node and against none.</summary>
public sealed class ProductGuardTests(NodeFixture fixture) : IClassFixture<NodeFixture>
{
    private readonly HttpClient _admin = fixture.Node.Admin();

    private async Task<(ProductBackend Backend, string OrgId)> BackendAsync(string plan)
    {
        var (orgId, key) = await ProductBackend.OrganisationAsync(_admin, plan, "guard");
        var backend = await ProductBackend.StartAsync(o =>
        {
            o.BaseAddress = new Uri("http://localhost");
            o.ApiKey = key;
        }, fixture.Node.Server.CreateHandler);
        return (backend, orgId);
    }

    [Theory]
    [InlineData("/reports")]
    [InlineData("/attributed")]
    public async Task An_organisation_whose_plan_has_the_feature_passes_and_one_without_gets_403_naming_feature_and_reason(string path)
    {
        var (pro, proOrg) = await BackendAsync("pro");
        await using var _ = pro;
        var (starter, starterOrg) = await BackendAsync("starter");
        await using var __ = starter;

        var passed = await pro.Client().GetAsync($"/orgs/{proOrg}{path}");
        Assert.Equal(HttpStatusCode.OK, passed.StatusCode);
        Assert.Equal("report", await passed.Content.ReadAsStringAsync());

        var problem = await (await starter.Client().GetAsync($"/orgs/{starterOrg}{path}")).AssertProblemAsync(HttpStatusCode.Forbidden);
        Assert.Equal("advanced_reports", problem["feature"]!.GetValue<string>());
        Assert.Equal("not_in_plan", problem["reason"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_feature_on_a_group_guards_every_endpoint_of_it_and_follows_an_override()
    {
        var (backend, orgId) = await BackendAsync("pro");
        await using var _ = backend;
        var refused = await (await backend.Client().GetAsync($"/orgs/{orgId}/sso/settings")).AssertProblemAsync(HttpStatusCode.Forbidden);
        Assert.Equal("sso", refused["feature"]!.GetValue<string>());

        Assert.Equal(HttpStatusCode.OK, (await _admin.PutAsync($"/v1/organisations/{orgId}/features/sso", TestApi.Json(new { enabled = true }))).StatusCode);
        await Task.Delay(TimeSpan.FromSeconds(5.5)); // the local copy is fresh for 5 s, then revalidated

        Assert.Equal(HttpStatusCode.OK, (await backend.Client().GetAsync($"/orgs/{orgId}/sso/settings")).StatusCode);
    }

    [Fact]
    public async Task ConsumesQuota_consumes_before_the_handler_and_answers_429_naming_the_metric_when_the_quota_is_spent()
    {
        var (backend, orgId) = await BackendAsync("pro");
        await using var _ = backend;
        await _admin.SetLimitAsync(orgId, "ai_calls", 2);

        Assert.Equal(HttpStatusCode.OK, (await backend.Client().PostAsync($"/orgs/{orgId}/ai", null)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await backend.Client().PostAsync($"/orgs/{orgId}/ai", null)).StatusCode);
        var problem = await (await backend.Client().PostAsync($"/orgs/{orgId}/ai", null)).AssertProblemAsync(HttpStatusCode.TooManyRequests);

        Assert.Equal("ai_calls", problem["metric"]!.GetValue<string>());
        Assert.Equal("limit_reached", problem["reason"]!.GetValue<string>());
        Assert.Equal(2, (await _admin.GetJsonAsync($"/v1/organisations/{orgId}/entitlements"))["usage"]!["ai_calls"]!["used"]!.GetValue<long>());
    }

    [Theory]
    [InlineData("/upload?fail=true", HttpStatusCode.InternalServerError)]
    [InlineData("/upload-throws", HttpStatusCode.InternalServerError)]
    [InlineData("/upload", HttpStatusCode.OK)]
    public async Task A_gauge_consumed_by_a_handler_that_fails_is_released_and_one_that_succeeds_stays(string path, HttpStatusCode status)
    {
        var (backend, orgId) = await BackendAsync("pro");
        await using var _ = backend;

        Assert.Equal(status, (await backend.Client().PostAsync($"/orgs/{orgId}{path}", null)).StatusCode);

        var used = (await _admin.GetJsonAsync($"/v1/organisations/{orgId}/entitlements"))["usage"]!["storage_bytes"]!["used"]!.GetValue<long>();
        Assert.Equal(status == HttpStatusCode.OK ? 100 : 0, used);
    }

    [Fact]
    public async Task With_the_node_unreachable_an_open_feature_passes_a_closed_one_answers_503_and_both_are_metered()
    {
        var unreachable = new Uri($"http://127.0.0.1:{TaskeeNode.FreePort()}/"); // nothing listens there
        await using var backend = await ProductBackend.StartAsync(o =>
        {
            o.BaseAddress = unreachable;
            o.ApiKey = "tk_unused";
            o.TotalTimeout = TimeSpan.FromSeconds(3);
            o.FailModes["advanced_reports"] = FailMode.Open;
            o.FailModes["sso"] = FailMode.Closed;
        });
        var decisions = new List<(string Key, string Mode)>();
        using var listener = new MeterListener();
        var factory = backend.Services.GetRequiredService<IMeterFactory>();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == TaskeeClientMeter.MeterName && ReferenceEquals(instrument.Meter.Scope, factory)) l.EnableMeasurementEvents(instrument);
        };
        listener.SetMeasurementEventCallback<long>((_, _, tags, _) =>
        {
            var t = tags.ToArray().ToDictionary(x => x.Key, x => x.Value?.ToString());
            lock (decisions) decisions.Add((t["taskee.key"]!, t["taskee.fail_mode"]!));
        });
        listener.Start();

        var open = await backend.Client().GetAsync("/orgs/acme/reports");
        Assert.Equal(HttpStatusCode.OK, open.StatusCode);
        var closed = await (await backend.Client().GetAsync("/orgs/acme/sso/settings")).AssertProblemAsync(HttpStatusCode.ServiceUnavailable);
        Assert.Equal("sso", closed["feature"]!.GetValue<string>());
        Assert.Equal("control_plane_unavailable", closed["reason"]!.GetValue<string>());
        var quota = await (await backend.Client().PostAsync("/orgs/acme/ai", null)).AssertProblemAsync(HttpStatusCode.ServiceUnavailable);
        Assert.Equal("ai_calls", quota["metric"]!.GetValue<string>());

        Assert.Equal([("advanced_reports", "open"), ("sso", "closed"), ("ai_calls", "closed")], decisions);
    }

    [Fact]
    public async Task A_request_whose_organisation_the_resolver_cannot_tell_is_refused_with_403_and_consumes_nothing()
    {
        var (orgId, key) = await ProductBackend.OrganisationAsync(_admin, "pro", "guard");
        await using var backend = await ProductBackend.StartAsync(o =>
        {
            o.BaseAddress = new Uri("http://localhost");
            o.ApiKey = key;
            o.OrganisationResolver = http => http.Request.Headers["X-Org"].FirstOrDefault();
        }, fixture.Node.Server.CreateHandler);

        var problem = await (await backend.Client().PostAsync($"/orgs/{orgId}/ai", null)).AssertProblemAsync(HttpStatusCode.Forbidden);
        Assert.Equal("organisation_unknown", problem["reason"]!.GetValue<string>());

        using var named = new HttpRequestMessage(HttpMethod.Post, $"/orgs/{orgId}/ai") { Headers = { { "X-Org", orgId } } };
        Assert.Equal(HttpStatusCode.OK, (await backend.Client().SendAsync(named)).StatusCode);
        Assert.Equal(1, (await _admin.GetJsonAsync($"/v1/organisations/{orgId}/entitlements"))["usage"]!["ai_calls"]!["used"]!.GetValue<long>());
    }
}

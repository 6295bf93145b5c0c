using System.Net;
using Taskee.Tests.Infrastructure;

namespace Taskee.Tests.Quota;

public sealed class ConsumeTests(NodeFixture fixture) : IClassFixture<NodeFixture>
{
    private readonly HttpClient _admin = fixture.Node.Admin();

    private async Task<(string OrgId, HttpClient Usage)> OrganisationAsync(long aiLimit, string plan = "pro")
    {
        var id = TestApi.NewOrgId("q");
        await _admin.CreateOrganisationAsync(id, plan);
        await _admin.SetLimitAsync(id, "ai_calls", aiLimit);
        return (id, fixture.Node.Client(await _admin.CreateKeyAsync(id, "usage")));
    }

    [Fact]
    public async Task Concurrent_consumes_never_exceed_the_limit_and_the_count_is_exact()
    {
        var (id, usage) = await OrganisationAsync(aiLimit: 500);

        var decisions = await Task.WhenAll(Enumerable.Range(0, 40).Select(async _ =>
        {
            var allowed = 0;
            for (var i = 0; i < 20; i++)
                if ((await usage.UsageAsync(id, "ai_calls", "consume", 1))["allowed"]!.GetValue<bool>()) allowed++;
            return allowed;
        }));

        Assert.Equal(500, decisions.Sum());
        await fixture.Node.FlushAsync();
        var period = (await _admin.GetJsonAsync($"/v1/organisations/{id}/entitlements"))["usage"]!["ai_calls"]!;
        Assert.Equal(500, period["used"]!.GetValue<long>());
        Assert.Equal(0, period["remaining"]!.GetValue<long>());
    }

    [Fact]
    public async Task The_last_unit_is_granted_exactly_once()
    {
        var (id, usage) = await OrganisationAsync(aiLimit: 1);

        var results = await Task.WhenAll(Enumerable.Range(0, 25).Select(_ => usage.UsageAsync(id, "ai_calls", "consume", 1)));

        Assert.Single(results, r => r["allowed"]!.GetValue<bool>());
        Assert.All(results.Where(r => !r["allowed"]!.GetValue<bool>()), r => Assert.Equal("limit_reached", r["reason"]!.GetValue<string>()));
    }

    [Fact]
    public async Task A_consume_answers_with_limit_used_remaining_and_the_period_end()
    {
        var (id, usage) = await OrganisationAsync(aiLimit: 100);

        var first = await usage.UsageAsync(id, "ai_calls", "consume", 30);
        var denied = await usage.UsageAsync(id, "ai_calls", "consume", 71);

        Assert.True(first["allowed"]!.GetValue<bool>());
        Assert.Equal(100, first["limit"]!.GetValue<long>());
        Assert.Equal(30, first["used"]!.GetValue<long>());
        Assert.Equal(70, first["remaining"]!.GetValue<long>());
        Assert.Equal("ok", first["reason"]!.GetValue<string>());
        var now = DateTimeOffset.UtcNow;
        Assert.Equal(new DateTimeOffset(now.Year, now.Month, 1, 0, 0, 0, TimeSpan.Zero).AddMonths(1), first["resetsAt"]!.GetValue<DateTimeOffset>());
        Assert.False(denied["allowed"]!.GetValue<bool>());
        Assert.Equal("limit_reached", denied["reason"]!.GetValue<string>());
    }

    [Fact]
    public async Task Check_consumes_nothing()
    {
        var (id, usage) = await OrganisationAsync(aiLimit: 10);

        for (var i = 0; i < 5; i++) Assert.True((await usage.UsageAsync(id, "ai_calls", "check", 10))["allowed"]!.GetValue<bool>());
        var tooMuch = await usage.UsageAsync(id, "ai_calls", "check", 11);

        Assert.False(tooMuch["allowed"]!.GetValue<bool>());
        Assert.True((await usage.UsageAsync(id, "ai_calls", "consume", 10))["allowed"]!.GetValue<bool>());
    }

    [Fact]
    public async Task A_retried_consume_with_the_same_idempotency_key_counts_once()
    {
        var (id, usage) = await OrganisationAsync(aiLimit: 100);
        var key = Guid.NewGuid().ToString();

        for (var i = 0; i < 3; i++)
            Assert.True((await usage.UsageAsync(id, "ai_calls", "consume", 7, key))["allowed"]!.GetValue<bool>());

        await fixture.Node.FlushAsync();
        Assert.Equal(7, (await _admin.GetJsonAsync($"/v1/organisations/{id}/entitlements"))["usage"]!["ai_calls"]!["used"]!.GetValue<long>());
    }

    [Fact]
    public async Task An_idempotency_key_reused_with_another_amount_is_a_422()
    {
        var (id, usage) = await OrganisationAsync(aiLimit: 100);
        var key = Guid.NewGuid().ToString();
        await usage.UsageAsync(id, "ai_calls", "consume", 7, key);

        var request = new HttpRequestMessage(HttpMethod.Post, $"/v1/organisations/{id}/usage/ai_calls/consume") { Content = TestApi.Json(new { amount = 8 }) };
        request.Headers.Add("Idempotency-Key", key);

        await (await usage.SendAsync(request)).AssertProblemAsync(HttpStatusCode.UnprocessableEntity);
    }

    public static TheoryData<string, string> BadRequests => new()
    {
        { "ai_calls", """{"amount":0}""" },
        { "ai_calls", """{"amount":-5}""" },
        { "ai_calls", """{"amount":1.5}""" },
        { "ai_calls", """{"amount":"5"}""" },
        { "ai_calls", """{"amount":"abc"}""" },
        { "ai_calls", """{"amount":9223372036854775808}""" },
        { "ai_calls", """{"amount":1e3}""" },
        { "ai_calls", """{}""" },
        { "ai_calls", """{"amount":null}""" },
        { "ai_calls", """not json""" },
        { "gpu_minutes", """{"amount":1}""" },
        { "seats", """{"amount":1}""" },
    };

    [Theory]
    [MemberData(nameof(BadRequests))]
    public async Task A_bad_amount_or_metric_is_a_400_problem_and_consumes_nothing(string metric, string body)
    {
        var (id, usage) = await OrganisationAsync(aiLimit: 100);

        var response = await usage.PostAsync($"/v1/organisations/{id}/usage/{metric}/consume", TestApi.Json(body));

        await response.AssertProblemAsync(HttpStatusCode.BadRequest);
        await fixture.Node.FlushAsync();
        Assert.Equal(0, (await _admin.GetJsonAsync($"/v1/organisations/{id}/entitlements"))["usage"]!["ai_calls"]!["used"]!.GetValue<long>());
    }

    [Fact]
    public async Task A_suspended_organisation_is_denied_at_once_and_allowed_again_when_active()
    {
        var (id, usage) = await OrganisationAsync(aiLimit: 100);
        Assert.True((await usage.UsageAsync(id, "ai_calls", "consume", 1))["allowed"]!.GetValue<bool>());

        await _admin.PatchAsync($"/v1/organisations/{id}", TestApi.Json(new { status = "suspended" }));
        var denied = await usage.UsageAsync(id, "ai_calls", "consume", 1);
        await _admin.PatchAsync($"/v1/organisations/{id}", TestApi.Json(new { status = "active" }));
        var allowed = await usage.UsageAsync(id, "ai_calls", "consume", 1);

        Assert.False(denied["allowed"]!.GetValue<bool>());
        Assert.Equal("organisation_suspended", denied["reason"]!.GetValue<string>());
        Assert.True(allowed["allowed"]!.GetValue<bool>());
    }

    [Fact]
    public async Task A_lowered_limit_applies_to_the_next_consume_on_this_node()
    {
        var (id, usage) = await OrganisationAsync(aiLimit: 1000);
        Assert.True((await usage.UsageAsync(id, "ai_calls", "consume", 50))["allowed"]!.GetValue<bool>());

        await _admin.SetLimitAsync(id, "ai_calls", 50);
        var denied = await usage.UsageAsync(id, "ai_calls", "consume", 1);

        Assert.False(denied["allowed"]!.GetValue<bool>());
        Assert.Equal(50, denied["limit"]!.GetValue<long>());
    }

    [Fact]
    public async Task Storage_is_a_gauge_and_release_gives_capacity_back()
    {
        var id = TestApi.NewOrgId("q");
        await _admin.CreateOrganisationAsync(id);
        await _admin.SetLimitAsync(id, "storage_bytes", 1000);
        var usage = fixture.Node.Client(await _admin.CreateKeyAsync(id, "usage"));

        Assert.True((await usage.UsageAsync(id, "storage_bytes", "consume", 1000))["allowed"]!.GetValue<bool>());
        Assert.False((await usage.UsageAsync(id, "storage_bytes", "consume", 1))["allowed"]!.GetValue<bool>());
        var released = await usage.UsageAsync(id, "storage_bytes", "release", 400);
        var again = await usage.UsageAsync(id, "storage_bytes", "consume", 400);

        Assert.Equal(600, released["used"]!.GetValue<long>());
        Assert.Null(released["resetsAt"]);
        Assert.True(again["allowed"]!.GetValue<bool>());
        Assert.False((await usage.UsageAsync(id, "storage_bytes", "consume", 1))["allowed"]!.GetValue<bool>());
    }

    [Fact]
    public async Task Releasing_a_periodic_metric_is_a_400()
    {
        var (id, usage) = await OrganisationAsync(aiLimit: 10);
        var response = await usage.PostAsync($"/v1/organisations/{id}/usage/ai_calls/release", TestApi.Json(new { amount = 1 }));
        await response.AssertProblemAsync(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task A_soft_limit_allows_overage_and_says_so()
    {
        var planId = "soft-" + Guid.NewGuid().ToString("N")[..8];
        await _admin.PutAsync($"/v1/plans/{planId}", TestApi.Json(new
        {
            name = "Soft AI", limits = new { ai_calls = 10, storage_bytes = 10, seats = 1 }, features = Array.Empty<string>(),
            policies = new { ai_calls = "soft" },
        }));
        var id = TestApi.NewOrgId("q");
        await _admin.CreateOrganisationAsync(id, planId);
        var usage = fixture.Node.Client(await _admin.CreateKeyAsync(id, "usage"));

        var within = await usage.UsageAsync(id, "ai_calls", "consume", 10);
        var over = await usage.UsageAsync(id, "ai_calls", "consume", 5);

        Assert.Equal("ok", within["reason"]!.GetValue<string>());
        Assert.True(over["allowed"]!.GetValue<bool>());
        Assert.Equal("soft_limit_exceeded", over["reason"]!.GetValue<string>());
        Assert.Equal(15, over["used"]!.GetValue<long>());
    }

    [Fact]
    public async Task Threshold_events_are_written_once_per_period()
    {
        var (id, usage) = await OrganisationAsync(aiLimit: 20);

        for (var i = 0; i < 25; i++)
        {
            await usage.UsageAsync(id, "ai_calls", "consume", 1);
            if (i % 5 == 0) await fixture.Node.FlushAsync();
        }
        await fixture.Node.FlushAsync();

        var thresholds = (await _admin.AuditEventsAsync(id))
            .Where(e => e["action"]!.GetValue<string>().StartsWith("quota.", StringComparison.Ordinal))
            .Select(e => (e["action"]!.GetValue<string>(), e["after"]!["threshold"]!.GetValue<int>())).ToList();
        Assert.Equal([("quota.threshold_reached", 75), ("quota.threshold_reached", 90), ("quota.exhausted", 100)], thresholds);
    }

    [Fact]
    public async Task A_batch_answers_each_item_in_order_and_checks_each_on_its_own()
    {
        var (id, usage) = await OrganisationAsync(aiLimit: 3);
        var other = TestApi.NewOrgId("other");
        await _admin.CreateOrganisationAsync(other);

        var response = await usage.PostAsync("/v1/usage/batch", TestApi.Json(new
        {
            items = new object[]
            {
                new { orgId = id, metric = "ai_calls", op = "consume", amount = 2 },
                new { orgId = id, metric = "ai_calls", op = "consume", amount = 2 },
                new { orgId = id, metric = "ai_calls", op = "check", amount = 1 },
                new { orgId = other, metric = "ai_calls", op = "consume", amount = 1 },
                new { orgId = id, metric = "bogus", op = "consume", amount = 1 },
                new { orgId = id, metric = "ai_calls", op = "explode", amount = 1 },
            },
        }));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var results = (await response.ReadJsonAsync())["results"]!.AsArray();
        Assert.True(results[0]!["allowed"]!.GetValue<bool>());
        Assert.False(results[1]!["allowed"]!.GetValue<bool>());
        Assert.True(results[2]!["allowed"]!.GetValue<bool>());
        Assert.Equal(404, results[3]!["error"]!["status"]!.GetValue<int>());
        Assert.Equal(400, results[4]!["error"]!["status"]!.GetValue<int>());
        Assert.Equal(400, results[5]!["error"]!["status"]!.GetValue<int>());
    }

    [Fact]
    public async Task A_batch_over_1000_items_is_a_400()
    {
        var (id, usage) = await OrganisationAsync(aiLimit: 3);
        var items = Enumerable.Range(0, 1001).Select(_ => new { orgId = id, metric = "ai_calls", op = "check", amount = 1 });

        var response = await usage.PostAsync("/v1/usage/batch", TestApi.Json(new { items }));

        await response.AssertProblemAsync(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task A_feature_answers_with_its_reason_an_etag_and_304()
    {
        var (id, usage) = await OrganisationAsync(aiLimit: 3);

        var response = await usage.GetAsync($"/v1/organisations/{id}/features/api_access");
        var body = await response.ReadJsonAsync();
        var request = new HttpRequestMessage(HttpMethod.Get, $"/v1/organisations/{id}/features/api_access");
        request.Headers.TryAddWithoutValidation("If-None-Match", response.Headers.ETag!.Tag);

        Assert.True(body["enabled"]!.GetValue<bool>());
        Assert.Equal("plan", body["reason"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.NotModified, (await usage.SendAsync(request)).StatusCode);
    }

    [Fact]
    public async Task Entitlements_change_their_etag_when_usage_changes()
    {
        var (id, usage) = await OrganisationAsync(aiLimit: 100);
        var before = (await usage.GetAsync($"/v1/organisations/{id}/entitlements")).Headers.ETag!.Tag;

        await usage.UsageAsync(id, "ai_calls", "consume", 3);
        var request = new HttpRequestMessage(HttpMethod.Get, $"/v1/organisations/{id}/entitlements");
        request.Headers.TryAddWithoutValidation("If-None-Match", before);
        var after = await usage.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, after.StatusCode);
        Assert.Equal(3, (await after.ReadJsonAsync())["usage"]!["ai_calls"]!["used"]!.GetValue<long>());
    }
}

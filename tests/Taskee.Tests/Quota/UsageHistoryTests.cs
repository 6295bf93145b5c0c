using System.Net;
using System.Text.Json.Nodes;
using Taskee.Tests.Infrastructure;

namespace Taskee.Tests.Quota;

/// <summary>
/// Daily usage history (usage_history) written by the organisation grain's flush, and the two read endpoints: the
/// current billing period and the daily points of one metric.
/// </summary>
public sealed class UsageHistoryTests
{
    private static Dictionary<string, long> Points(JsonNode history) =>
        history["points"]!.AsArray().ToDictionary(p => p!["day"]!.GetValue<string>(), p => p!["amount"]!.GetValue<long>());

    [Fact]
    public async Task Each_day_holds_what_was_used_that_day_and_gauges_carry_their_level()
    {
        await using var database = await TestDatabase.CreateAsync();
        var clock = new ManualClock(new DateTimeOffset(2026, 3, 10, 12, 0, 0, TimeSpan.Zero));
        await using var node = await new TaskeeNode(database, clock: clock).StartAsync();
        var admin = node.Admin();
        var id = TestApi.NewOrgId("h");
        await admin.CreateOrganisationAsync(id);

        await admin.UsageAsync(id, "ai_calls", "consume", 5);
        await admin.UsageAsync(id, "storage_bytes", "consume", 40);
        await node.FlushAsync();
        clock.Set(new DateTimeOffset(2026, 3, 12, 9, 0, 0, TimeSpan.Zero));
        await admin.UsageAsync(id, "ai_calls", "consume", 7);
        await admin.UsageAsync(id, "storage_bytes", "consume", 60);
        await node.FlushAsync();
        await admin.UsageAsync(id, "storage_bytes", "release", 30);
        Assert.True((await admin.PostAsync($"/v1/organisations/{id}/members", TestApi.Json(new { userId = "ann", email = "ann@h.example", role = "member" }))).IsSuccessStatusCode);
        await node.FlushAsync();

        var aiCalls = await admin.GetJsonAsync($"/v1/organisations/{id}/usage/history?metric=ai_calls");
        Assert.Equal("periodic", aiCalls["kind"]!.GetValue<string>());
        Assert.Equal("2026-03-01", aiCalls["from"]!.GetValue<string>()); // the billing period's first day
        Assert.Equal("2026-03-12", aiCalls["to"]!.GetValue<string>());
        var daily = Points(aiCalls);
        Assert.Equal(12, daily.Count);
        Assert.Equal(5, daily["2026-03-10"]);
        Assert.Equal(0, daily["2026-03-11"]);
        Assert.Equal(7, daily["2026-03-12"]);
        Assert.Equal(0, daily["2026-03-01"]);

        var storage = Points(await admin.GetJsonAsync($"/v1/organisations/{id}/usage/history?metric=storage_bytes&from=2026-03-09&to=2026-03-31"));
        Assert.Equal(["2026-03-10", "2026-03-11", "2026-03-12"], storage.Keys); // from the first level seen, up to today
        Assert.Equal([40L, 40L, 100L], storage.Values); // the day's highest level at a flush, carried over a day without change

        var seats = Points(await admin.GetJsonAsync($"/v1/organisations/{id}/usage/history?metric=seats&from=2026-03-12&to=2026-03-12"));
        Assert.Equal(1, seats["2026-03-12"]);

        var period = await admin.GetJsonAsync($"/v1/organisations/{id}/usage");
        Assert.Equal(new DateTimeOffset(2026, 3, 1, 0, 0, 0, TimeSpan.Zero), period["periodStart"]!.GetValue<DateTimeOffset>());
        Assert.Equal(new DateTimeOffset(2026, 4, 1, 0, 0, 0, TimeSpan.Zero), period["periodEnd"]!.GetValue<DateTimeOffset>());
        Assert.Equal(12, period["metrics"]!["ai_calls"]!["used"]!.GetValue<long>());
        Assert.Equal(70, period["metrics"]!["storage_bytes"]!["used"]!.GetValue<long>());
        Assert.Equal("gauge", period["metrics"]!["seats"]!["kind"]!.GetValue<string>());
        var limits = (await admin.GetJsonAsync($"/v1/organisations/{id}/entitlements"))["limits"]!;
        Assert.Equal(limits["ai_calls"]!["limit"]!.GetValue<long>(), period["metrics"]!["ai_calls"]!["limit"]!.GetValue<long>());
    }

    [Fact]
    public async Task A_busy_organisation_gets_its_history_from_the_flush_timer_without_being_asked()
    {
        await using var database = await TestDatabase.CreateAsync();
        await using var node = await new TaskeeNode(database).StartAsync();
        var admin = node.Admin();
        var id = TestApi.NewOrgId("t");
        await admin.CreateOrganisationAsync(id);
        var today = DateTimeOffset.UtcNow.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);

        for (var i = 0; i < 3; i++) await admin.UsageAsync(id, "ai_calls", "consume", 2);

        long recorded = 0;
        for (var attempt = 0; attempt < 50 && recorded < 6; attempt++)
        {
            await Task.Delay(200);
            recorded = Points(await admin.GetJsonAsync($"/v1/organisations/{id}/usage/history?metric=ai_calls&from={today}&to={today}")).GetValueOrDefault(today);
        }
        Assert.Equal(6, recorded);
    }
}

/// <summary>The usage read endpoints' refusals: bad queries, another organisation's, a role without usage:read.</summary>
public sealed class UsageHistoryRefusalTests(NodeFixture fixture) : IClassFixture<NodeFixture>
{
    public static TheoryData<string, string> BadQueries => new()
    {
        { "", "metric" },
        { "metric=tokens", "metric" },
        { "metric=ai_calls&from=2026-13-01", "from" },
        { "metric=ai_calls&from=yesterday", "from" },
        { "metric=ai_calls&to=2026-3-1", "to" },
        { "metric=ai_calls&from=2026-03-10&to=2026-03-09", "to" },
        { "metric=ai_calls&from=2025-01-01&to=2026-03-01", "to" },
    };

    [Theory]
    [MemberData(nameof(BadQueries))]
    public async Task A_bad_query_is_400_naming_the_parameter(string query, string field)
    {
        var admin = fixture.Node.Admin();
        var id = TestApi.NewOrgId("q");
        await admin.CreateOrganisationAsync(id);

        var problem = await (await admin.GetAsync($"/v1/organisations/{id}/usage/history?{query}")).AssertProblemAsync(HttpStatusCode.BadRequest);

        Assert.NotNull(problem["errors"]![field]);
        Assert.DoesNotContain("System.", problem.ToJsonString());
    }

    [Fact]
    public async Task Another_organisation_s_usage_is_404_and_a_role_without_usage_read_is_refused()
    {
        var admin = fixture.Node.Admin();
        var a = TestApi.NewOrgId("a");
        var b = TestApi.NewOrgId("b");
        await admin.CreateOrganisationAsync(a);
        await admin.CreateOrganisationAsync(b);
        await admin.UsageAsync(b, "ai_calls", "consume", 3);
        var keyOfA = fixture.Node.Client(await admin.CreateKeyAsync(a, "admin"));
        var auditorOfB = fixture.Node.Client(await admin.CreateKeyAsync(b, "auditor"));

        await (await keyOfA.GetAsync($"/v1/organisations/{b}/usage")).AssertProblemAsync(HttpStatusCode.NotFound);
        await (await keyOfA.GetAsync($"/v1/organisations/{b}/usage/history?metric=ai_calls")).AssertProblemAsync(HttpStatusCode.NotFound);
        await (await auditorOfB.GetAsync($"/v1/organisations/{b}/usage")).AssertProblemAsync(HttpStatusCode.Forbidden);
        await (await admin.GetAsync($"/v1/organisations/{TestApi.NewOrgId("none")}/usage")).AssertProblemAsync(HttpStatusCode.NotFound);
        await (await admin.GetAsync($"/v1/organisations/{TestApi.NewOrgId("none")}/usage/history?metric=seats")).AssertProblemAsync(HttpStatusCode.NotFound);
        Assert.Equal(0, (await keyOfA.GetJsonAsync($"/v1/organisations/{a}/usage"))["metrics"]!["ai_calls"]!["used"]!.GetValue<long>());
    }
}

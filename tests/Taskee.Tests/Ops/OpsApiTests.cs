using System.Net;
using Taskee.Tests.Infrastructure;

namespace Taskee.Tests.Ops;

public sealed class OpsFixture : IAsyncLifetime
{
    private TestDatabase? _database;
    public TaskeeNode Node { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        _database = await TestDatabase.CreateAsync();
        Node = await new TaskeeNode(_database, new Dictionary<string, string?>
        {
            ["Ops:StatsInterval"] = "00:00:00.200",
            ["Ops:SampleInterval"] = "00:00:01",
        }).StartAsync();
    }

    public async Task DisposeAsync()
    {
        await Node.DisposeAsync();
        if (_database is not null) await _database.DisposeAsync();
    }
}

public sealed class OpsApiTests(OpsFixture fixture) : IClassFixture<OpsFixture>
{
    private readonly HttpClient _admin = fixture.Node.Admin();

    private static async Task EventuallyAsync(Func<Task<bool>> condition, string what)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"Not within 10 s: {what}");
            await Task.Delay(100);
        }
    }

    [Fact]
    public async Task The_overview_shows_this_node_its_checks_and_an_organisation_over_its_limit()
    {
        var id = TestApi.NewOrgId("ops");
        await _admin.CreateOrganisationAsync(id);
        await _admin.SetLimitAsync(id, "ai_calls", 5);
        for (var i = 0; i < 8; i++) await _admin.UsageAsync(id, "ai_calls", "consume", 1);

        await EventuallyAsync(async () =>
        {
            var o = await _admin.GetJsonAsync("/v1/ops/overview");
            var self = o["nodes"]!.AsArray().SingleOrDefault(n => n!["self"]!.GetValue<bool>());
            return self?["stats"]?["decisions"]?.GetValue<long>() >= 8
                && o["organisations"]!["topByDenials"]!.AsArray().Any(l => l!["orgId"]!.GetValue<string>() == id && l["denials"]!.GetValue<long>() == 3)
                && o["organisations"]!["nearLimit"]!.AsArray().Any(l => l!["orgId"]!.GetValue<string>() == id);
        }, "node stats, denials and near-limit for the organisation");

        var detail = await _admin.GetJsonAsync($"/v1/ops/organisations/{id}");
        Assert.Equal(5, detail["usage"]!["ai_calls"]!["used"]!.GetValue<long>());
        Assert.Equal(3, detail["denials"]!.GetValue<long>());
    }

    [Fact]
    public async Task The_audit_stream_sends_existing_events_and_then_new_ones_as_they_happen()
    {
        var id = TestApi.NewOrgId("ops");
        await _admin.CreateOrganisationAsync(id);
        using var stream = await _admin.GetStreamAsync($"/v1/ops/organisations/{id}/audit/stream");
        using var reader = new StreamReader(stream);

        var first = await ReadEventAsync(reader);
        Assert.Contains("\"action\":\"org.created\"", first);
        await _admin.PatchAsync($"/v1/organisations/{id}", TestApi.Json(new { name = "Live" }));
        var second = await ReadEventAsync(reader);
        Assert.Contains("\"action\":\"org.renamed\"", second);
        Assert.Contains("id: 2", second);
    }

    private static async Task<string> ReadEventAsync(StreamReader reader)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var lines = new List<string>();
        while (true)
        {
            var line = await reader.ReadLineAsync(timeout.Token) ?? throw new EndOfStreamException();
            if (line.Length == 0 && lines.Any(l => l.StartsWith("data: ", StringComparison.Ordinal))) return string.Join("\n", lines);
            if (line.Length > 0 && !line.StartsWith(':')) lines.Add(line);
        }
    }

    [Fact]
    public async Task Sla_reports_count_samples_for_the_cluster_each_node_and_an_organisation()
    {
        var id = TestApi.NewOrgId("sla");
        await _admin.CreateOrganisationAsync(id);
        for (var i = 0; i < 4; i++) await _admin.UsageAsync(id, "ai_calls", "check", 1);

        await EventuallyAsync(async () => (await _admin.GetJsonAsync($"/v1/organisations/{id}/sla"))["requests"]!.GetValue<long>() >= 4, "organisation samples");
        var month = DateTimeOffset.UtcNow.ToString("yyyy-MM");
        var cluster = await _admin.GetJsonAsync($"/v1/ops/sla?month={month}");
        Assert.True(cluster["cluster"]!["samples"]!.GetValue<long>() >= 1);
        Assert.Equal(1.0, cluster["cluster"]!["uptime"]!.GetValue<double>());
        Assert.NotEmpty(cluster["nodes"]!.AsArray());
        var organisation = await _admin.GetJsonAsync($"/v1/organisations/{id}/sla?month={month}");
        Assert.Equal(1.0, organisation["availability"]!.GetValue<double>());

        await (await _admin.GetAsync("/v1/ops/sla?month=November")).AssertProblemAsync(HttpStatusCode.BadRequest);
        var empty = await _admin.GetJsonAsync("/v1/ops/sla?month=2001-01");
        Assert.Equal(0, empty["cluster"]!["samples"]!.GetValue<long>());
    }

    public static TheoryData<string> OpsPaths => ["/v1/ops/overview", "/v1/ops/quota", "/v1/ops/sla", "/v1/ops/webhooks", "/v1/ops/organisations/{org}", "/v1/ops/organisations/{org}/audit/stream"];

    [Theory]
    [MemberData(nameof(OpsPaths))]
    public async Task Ops_endpoints_need_a_platform_caller(string template)
    {
        var id = TestApi.NewOrgId("ops");
        await _admin.CreateOrganisationAsync(id);
        var path = template.Replace("{org}", id);
        var orgAdmin = fixture.Node.Client(await _admin.CreateKeyAsync(id, "owner"));

        await (await fixture.Node.Client(null).GetAsync(path)).AssertProblemAsync(HttpStatusCode.Unauthorized);
        await (await orgAdmin.GetAsync(path, HttpCompletionOption.ResponseHeadersRead)).AssertProblemAsync(HttpStatusCode.Forbidden);
        using var ok = await _admin.GetAsync(path, HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
    }

    [Fact]
    public async Task An_organisation_sla_is_its_own_and_another_tenant_gets_404()
    {
        var a = TestApi.NewOrgId("a");
        var b = TestApi.NewOrgId("b");
        await _admin.CreateOrganisationAsync(a);
        await _admin.CreateOrganisationAsync(b);
        var keyOfA = fixture.Node.Client(await _admin.CreateKeyAsync(a, "member"));

        Assert.Equal(HttpStatusCode.OK, (await keyOfA.GetAsync($"/v1/organisations/{a}/sla")).StatusCode);
        await (await keyOfA.GetAsync($"/v1/organisations/{b}/sla")).AssertProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task The_dashboard_page_and_its_assets_are_served_without_external_links()
    {
        var client = fixture.Node.Client(null);
        var html = await client.GetStringAsync("/ops");
        var js = await client.GetStringAsync("/ops/app.js");
        Assert.Contains("/ops/app.js", html);
        Assert.DoesNotContain("http://", html + js);
        Assert.DoesNotContain("https://", html + js);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/ops/missing.js")).StatusCode);
    }
}

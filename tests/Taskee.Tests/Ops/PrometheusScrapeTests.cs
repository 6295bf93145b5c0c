using System.Net;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using Taskee.Api.Auth.Jwt;
using Taskee.Tests.Infrastructure;
using Taskee.Tests.Webhooks;

namespace Taskee.Tests.Ops;

public sealed partial class PrometheusScrapeTests
{
    [Fact]
    public async Task With_a_port_of_its_own_the_scrape_endpoint_is_answered_there_only_and_that_port_answers_nothing_else()
    {
        await using var database = await TestDatabase.CreateAsync();
        var metricsPort = TaskeeNode.FreePort();
        await using var silo = await SiloProcess.StartAsync(database, "--Metrics:Prometheus=true", $"--Metrics:PrometheusPort={metricsPort}");
        using var api = silo.Client();
        using var metrics = silo.Client(metricsPort);

        var scrape = await metrics.GetAsync("/metrics");
        Assert.Equal(HttpStatusCode.OK, scrape.StatusCode);
        Assert.Contains("# TYPE", await scrape.Content.ReadAsStringAsync());
        await (await api.GetAsync("/metrics")).AssertProblemAsync(HttpStatusCode.NotFound);
        await (await metrics.GetAsync("/health/live")).AssertProblemAsync(HttpStatusCode.NotFound);
        Assert.Equal(HttpStatusCode.OK, (await api.GetAsync("/health/live")).StatusCode);
    }

    [Fact]
    public async Task Every_metric_the_alert_rules_name_is_on_the_scrape_endpoint_once_its_instrument_recorded()
    {
        // The platform issuer is down from the start, so the JWKS monitor raises its stale alert once the clock passed
        // Auth:Jwt:StaleAfter; the same move passes the webhook retry window, so a failing endpoint gets disabled.
        var clock = new ManualClock(DateTimeOffset.UtcNow);
        await using var idp = await TestIdentityProvider.StartAsync();
        idp.Down = true;
        await using var database = await TestDatabase.CreateAsync();
        await using var node = await new TaskeeNode(database, new Dictionary<string, string?>
        {
            ["Metrics:Prometheus"] = "true",
            ["Auth:Jwt:Authority"] = idp.Issuer,
            ["Auth:Jwt:Audience"] = TestIdentityProvider.Audience,
            ["Auth:Jwt:RequireHttpsMetadata"] = "false",
            ["Auth:Jwt:StaleAfter"] = "00:00:01",
            ["Billing:Stripe:WebhookSecrets:0"] = "whsec_prometheus_test",
            ["Webhooks:AllowInsecureUrls"] = "true",
            ["Webhooks:AllowPrivateTargets"] = "true",
            ["Webhooks:RetryWindow"] = "00:01:00",
            ["Webhooks:SweepInterval"] = "00:00:01",
        }, clock).StartAsync();
        var admin = node.Admin();

        var id = TestApi.NewOrgId("prom");
        await admin.CreateOrganisationAsync(id);
        await admin.SetLimitAsync(id, "ai_calls", 1);
        Assert.True((await admin.UsageAsync(id, "ai_calls", "consume", 1))["allowed"]!.GetValue<bool>());
        Assert.False((await admin.UsageAsync(id, "ai_calls", "consume", 1))["allowed"]!.GetValue<bool>()); // a denial
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync($"/v1/organisations/{id}/features/api_access")).StatusCode);
        // An unsigned Stripe delivery is a webhook failure.
        Assert.Equal(HttpStatusCode.BadRequest, (await node.Client(null).PostAsync("/webhooks/stripe", TestApi.Json("{}"))).StatusCode);
        // A webhook receiver that refuses every connection: the first attempt of the next event fails and waits for its retry.
        var hook = await TestWebhooks.CreateAsync(node.Services, id, $"http://127.0.0.1:{TaskeeNode.FreePort()}/hook");
        await admin.SetLimitAsync(id, "ai_calls", 2); // an event after the endpoint's own webhook.created, its cursor
        await TestWebhooks.EventuallyAsync(async () => (await TestWebhooks.QueueAsync(node.Services, hook.Id)).NextAttemptAt is not null,
            "a failed first attempt");
        var monitor = node.Services.GetRequiredService<JwksMonitor>();
        await monitor.CheckAsync(CancellationToken.None);

        clock.Set(clock.GetUtcNow().AddMinutes(2)); // past Auth:Jwt:StaleAfter and Webhooks:RetryWindow
        await monitor.CheckAsync(CancellationToken.None);
        await TestWebhooks.WakeAsync(node.Services, hook.Id); // the last attempt fails too: the endpoint is disabled
        await TestWebhooks.EventuallyAsync(async () => !(await TestWebhooks.QueueAsync(node.Services, hook.Id)).Endpoint.Enabled, "the endpoint disabled");

        await node.Services.GetServices<Taskee.Grains.Jobs.IPeriodicJob>().Single(j => j.Name == "prune-audit-retention").RunAsync(CancellationToken.None);

        var response = await node.Client(null).GetAsync("/metrics"); // no key: scrapers carry none
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var exposed = ExposedName().Matches(await response.Content.ReadAsStringAsync()).Select(m => m.Groups[1].Value).ToHashSet();

        var named = RuleMetrics();
        Assert.NotEmpty(named);
        Assert.All(named, metric => Assert.True(exposed.Contains(metric), $"The alert rules name {metric}, which /metrics does not expose."));
    }

    [Fact]
    public async Task Without_the_setting_there_is_no_scrape_endpoint()
    {
        await using var database = await TestDatabase.CreateAsync();
        await using var node = await new TaskeeNode(database).StartAsync();
        await (await node.Client(null).GetAsync("/metrics")).AssertProblemAsync(HttpStatusCode.NotFound);
    }

    /// <summary>The <c>taskee_*</c> series the <c>expr:</c> of deploy/alerts/taskee.rules.yml read (<c>up</c> is Prometheus' own).</summary>
    private static HashSet<string> RuleMetrics()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "deploy", "alerts", "taskee.rules.yml"))) directory = directory.Parent;
        Assert.NotNull(directory);
        var lines = File.ReadAllLines(Path.Combine(directory.FullName, "deploy", "alerts", "taskee.rules.yml"));

        var expressions = new List<string>();
        for (var i = 0; i < lines.Length; i++)
        {
            var at = lines[i].IndexOf("expr:", StringComparison.Ordinal);
            if (at < 0 || lines[i][..at].Trim().Length > 0) continue;
            var value = lines[i][(at + 5)..].Trim();
            if (value != "|") { expressions.Add(value); continue; }
            // A block: the lines after it that are indented deeper than the key.
            while (i + 1 < lines.Length && lines[i + 1].Length - lines[i + 1].TrimStart().Length > at) expressions.Add(lines[++i]);
        }
        Assert.NotEmpty(expressions);
        return expressions.SelectMany(e => RuleMetric().Matches(e).Select(m => m.Value)).ToHashSet();
    }

    [GeneratedRegex(@"\btaskee_[a-z0-9_]+")]
    private static partial Regex RuleMetric();

    // A sample line of the text exposition format: the series name, then labels or the value.
    [GeneratedRegex(@"^([a-zA-Z_:][a-zA-Z0-9_:]*)[{ ]", RegexOptions.Multiline)]
    private static partial Regex ExposedName();
}

using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Taskee.Tests.Infrastructure;
using Taskee.Tests.Webhooks;

namespace Taskee.Tests.Ops;

/// <summary>
/// The /ops dashboard in a real headless Chromium (Debian's, at /usr/bin/chromium; tests/run.sh installs it),
/// against a node listening on a loopback port. Run once, in the SQLite pass of tests/run.sh.
/// </summary>
[Trait("Category", "Browser")]
public sealed class DashboardBrowserTests
{
    private const string Chromium = "/usr/bin/chromium";

    [Fact]
    public async Task The_dashboard_shows_real_numbers_and_a_live_audit_tail()
    {
        Assert.True(File.Exists(Chromium), $"{Chromium} is missing: install Debian's chromium (tests/run.sh does).");
        await using var database = await TestDatabase.CreateAsync();
        await using var node = new TaskeeNode(database, new Dictionary<string, string?>
        {
            ["Ops:StatsInterval"] = "00:00:00.300",
            ["Webhooks:AllowInsecureUrls"] = "true",
            ["Webhooks:AllowPrivateTargets"] = "true",
        });
        node.UseKestrel(0);
        node.StartServer();
        await node.StartAsync();
        var baseAddress = node.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();

        var admin = node.Admin();
        var busy = TestApi.NewOrgId("busy");
        var capped = TestApi.NewOrgId("capped");
        await admin.CreateOrganisationAsync(busy);
        await admin.CreateOrganisationAsync(capped, "starter");
        await admin.SetLimitAsync(capped, "ai_calls", 3);
        for (var i = 0; i < 20; i++) await admin.UsageAsync(busy, "ai_calls", "consume", 1);
        for (var i = 0; i < 7; i++) await admin.UsageAsync(capped, "ai_calls", "consume", 1);

        // Two webhook endpoints: one whose receiver takes every message, one whose receiver refuses connections. Both
        // URLs carry a token in the query, which the dashboard must never show.
        await using var receiver = await WebhookReceiver.StartAsync();
        var hooked = TestApi.NewOrgId("hooked");
        var failing = TestApi.NewOrgId("failing");
        await admin.CreateOrganisationAsync(hooked);
        await admin.CreateOrganisationAsync(failing);
        var healthy = await TestWebhooks.CreateAsync(node.Services, hooked, receiver.Url + "?token=healthy-receiver-token");
        receiver.Trust(healthy.Secret);
        var broken = await TestWebhooks.CreateAsync(node.Services, failing, $"http://127.0.0.1:{TaskeeNode.FreePort()}/hook?token=broken-receiver-token");
        await admin.SetLimitAsync(hooked, "ai_calls", 50);
        await admin.SetLimitAsync(failing, "ai_calls", 50);
        await TestWebhooks.EventuallyAsync(() => receiver.Accepted.Any(r => r.Type == "org.limit.set"), "the healthy endpoint's delivery");

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Chromium,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        });
        var page = await browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 1400, Height = 1100 } });
        await page.GotoAsync($"{baseAddress}/ops");

        await page.FillAsync("#key", TaskeeNode.AdminKey);
        await page.ClickAsync("#signin-form button");

        await Assertions.Expect(page.Locator("#nodes tbody")).ToContainTextAsync("(this)");
        await Assertions.Expect(page.Locator("#nodes-alive")).ToHaveTextAsync("1 / 1");
        await Assertions.Expect(page.Locator("#denied-total")).ToHaveTextAsync("4", new() { Timeout = 10_000 });
        await Assertions.Expect(page.Locator("#allowed-total")).ToHaveTextAsync("23", new() { Timeout = 10_000 });
        var deniedRow = page.Locator("#top-denials tbody tr", new() { HasText = capped });
        await Assertions.Expect(deniedRow).ToContainTextAsync("4");
        await Assertions.Expect(page.Locator("#top-traffic tbody")).ToContainTextAsync(busy);
        await Assertions.Expect(page.Locator("#near-limit tbody")).ToContainTextAsync(capped);

        // Worst first: the failing endpoint's row, then the healthy one; hosts only, never a path, query or secret.
        var hookRows = page.Locator("#webhooks tbody tr");
        await Assertions.Expect(hookRows.First).ToContainTextAsync(failing, new() { Timeout = 10_000 });
        await Assertions.Expect(hookRows.First).ToContainTextAsync("refused");
        await Assertions.Expect(hookRows.First.Locator("td").Nth(5)).ToHaveTextAsync(new Regex(@"^[1-9][0-9]*$")); // a retry may have run
        await Assertions.Expect(hookRows.First.Locator("td").Nth(6)).ToHaveTextAsync("1"); // the limit change waits behind the cursor
        var healthyRow = page.Locator("#webhooks tbody tr", new() { HasText = hooked });
        await Assertions.Expect(healthyRow).ToContainTextAsync("succeeded 200");
        await Assertions.Expect(healthyRow.Locator("td").Nth(1)).ToHaveTextAsync("127.0.0.1");
        await Assertions.Expect(healthyRow.Locator("td").Nth(2)).ToHaveTextAsync("enabled");
        await Assertions.Expect(healthyRow.Locator("td").Nth(5)).ToHaveTextAsync("0");
        await Assertions.Expect(healthyRow.Locator("td").Nth(6)).ToHaveTextAsync("0");
        await Assertions.Expect(healthyRow.Locator("td").Nth(7)).ToHaveTextAsync("–");
        var panel = await page.Locator("#webhooks").InnerTextAsync();
        Assert.DoesNotContain("token", panel);
        Assert.DoesNotContain("/hook", panel);
        Assert.DoesNotContain("whsec_", panel);
        Assert.DoesNotContain(broken.Secret, await page.ContentAsync());

        await deniedRow.Locator("a").ClickAsync();
        await Assertions.Expect(page.Locator("#org-id")).ToHaveTextAsync(capped);
        await Assertions.Expect(page.Locator("#org-settings")).ToContainTextAsync("starter");
        await Assertions.Expect(page.Locator("#audit tbody")).ToContainTextAsync("org.limit.set");
        await Assertions.Expect(page.Locator("#audit-state")).ToHaveTextAsync("live");

        await admin.PatchAsync($"/v1/organisations/{capped}", TestApi.Json(new { name = "Renamed while watched" }));
        await Assertions.Expect(page.Locator("#audit tbody tr").First).ToContainTextAsync("org.renamed", new() { Timeout = 10_000 });

        var artifacts = Path.Combine(AppContext.BaseDirectory, "artifacts");
        Directory.CreateDirectory(artifacts);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(artifacts, "ops-dashboard.png"), FullPage = true });
        if (Environment.GetEnvironmentVariable("TASKEE_DASHBOARD_SCREENSHOT") is { Length: > 0 } extra)
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = extra, FullPage = true });
        Assert.True(new FileInfo(Path.Combine(artifacts, "ops-dashboard.png")).Length > 10_000);

        // The Orleans dashboard, reached from /ops with the session its sign-in opened.
        await page.ClickAsync("#orleans-dashboard");
        await Assertions.Expect(page.Locator("body")).ToContainTextAsync("Active", new() { Timeout = 20_000 });
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(artifacts, "orleans-dashboard.png"), FullPage = true });
        // Its grain list: the organisation grains with their activations on the one silo.
        await page.GotoAsync($"{baseAddress}/dashboard/#/grains");
        await Assertions.Expect(page.Locator("body")).ToContainTextAsync("OrganisationGrain", new() { Timeout = 20_000 });
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(artifacts, "orleans-dashboard-grains.png"), FullPage = true });

        // Without a session: refused, never the page.
        await using var stranger = await browser.NewContextAsync();
        var refused = await (await stranger.NewPageAsync()).GotoAsync($"{baseAddress}/dashboard/");
        Assert.Equal(401, refused!.Status);
    }
}

using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Playwright;
using Taskee.Tests.Infrastructure;

namespace Taskee.Tests.Sdk;

/// <summary>
/// sdk/js/taskee-flags.js in a real headless Chromium (Debian's, at /usr/bin/chromium): a product page served by a
/// product backend on loopback, whose /api/entitlements relays the node's real entitlements (with its ETag and 304s)
/// using a key of the organisation, as the script's header asks a backend to do. Run once, in the SQLite pass of tests/run.sh.
/// </summary>
[Trait("Category", "Browser")]
public sealed class FlagsScriptBrowserTests
{
    private const string Chromium = "/usr/bin/chromium";

    private const string Page = """
        <!doctype html>
        <html><body>
          <button id="reports" data-feature="advanced_reports">Reports</button>
          <p id="reports-upsell" data-feature="!advanced_reports">Upgrade for reports</p>
          <button id="sso" data-feature="sso">SSO settings</button>
          <p id="sso-upsell" data-feature="!sso">Upgrade for SSO</p>
          <button id="ghost" data-feature="no_such_feature">Never on</button>
          <p id="ghost-inverse" data-feature="!no_such_feature">Always on</p>
          <span id="plain">Not flagged</span>
          <script src="/taskee-flags.js"></script>
        </body></html>
        """;

    [Fact]
    public async Task The_flags_script_shows_enabled_features_hides_the_rest_revalidates_by_etag_and_keeps_its_state_when_the_fetch_fails()
    {
        Assert.True(File.Exists(Chromium), $"{Chromium} is missing: install Debian's chromium (tests/run.sh does).");
        await using var database = await TestDatabase.CreateAsync();
        await using var node = await new TaskeeNode(database).StartAsync();
        var admin = node.Admin();
        var (orgId, key) = await ProductBackend.OrganisationAsync(admin, "pro", "flags"); // pro: advanced_reports, not sso
        await using var backend = await FlagsBackend.StartAsync(node.Client(key), orgId);

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Chromium,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        });

        // A page whose first fetch fails keeps what it rendered: nothing decided, nothing hidden.
        backend.Failing = true;
        var page = await browser.NewPageAsync();
        await page.GotoAsync($"{backend.Address}/");
        var failure = await page.EvaluateAsync<string>("() => TaskeeFlags.load('/api/entitlements').then(() => 'resolved', e => e.message)");
        Assert.Equal("entitlements: 503", failure);
        foreach (var id in new[] { "reports", "reports-upsell", "sso", "sso-upsell", "ghost", "ghost-inverse", "plain" })
        {
            await Assertions.Expect(page.Locator($"#{id}")).ToBeVisibleAsync();
            Assert.Null(await page.Locator($"#{id}").GetAttributeAsync("data-feature-reason"));
        }

        // The node's answer: enabled features shown, disabled and unknown hidden, the inverses the other way round.
        backend.Failing = false;
        Assert.Equal("pro", await page.EvaluateAsync<string>("() => TaskeeFlags.load('/api/entitlements').then(e => e.plan)"));
        await AssertShownAsync(page, reports: true, sso: false);
        await Assertions.Expect(page.Locator("#ghost")).ToBeHiddenAsync();
        await Assertions.Expect(page.Locator("#ghost-inverse")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#plain")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#reports")).ToHaveAttributeAsync("data-feature-reason", "plan");
        await Assertions.Expect(page.Locator("#ghost")).ToHaveAttributeAsync("data-feature-reason", "not_in_plan");
        var first = backend.Calls.Last();
        Assert.Equal(HttpStatusCode.OK, first.Status);
        Assert.NotNull(first.ETag);

        // Nothing changed: the script revalidates with the ETag, the node answers 304, the state stays.
        Assert.Equal("pro", await page.EvaluateAsync<string>("() => TaskeeFlags.load('/api/entitlements').then(e => e.plan)"));
        var revalidated = backend.Calls.Last();
        Assert.Equal(first.ETag, revalidated.IfNoneMatch);
        Assert.Equal(HttpStatusCode.NotModified, revalidated.Status);
        await AssertShownAsync(page, reports: true, sso: false);

        // An override at the node: a new ETag, a 200, and the page follows it both ways.
        await SetFeatureAsync(admin, orgId, "advanced_reports", false);
        await SetFeatureAsync(admin, orgId, "sso", true);
        await page.EvaluateAsync("() => TaskeeFlags.load('/api/entitlements')");
        var changed = backend.Calls.Last();
        Assert.Equal(first.ETag, changed.IfNoneMatch);
        Assert.Equal(HttpStatusCode.OK, changed.Status);
        Assert.NotEqual(first.ETag, changed.ETag);
        await AssertShownAsync(page, reports: false, sso: true);
        await Assertions.Expect(page.Locator("#sso")).ToHaveAttributeAsync("data-feature-reason", "override");

        // The ETag belongs to its URL: another route is fetched afresh, never answered with this one's body.
        await page.EvaluateAsync("() => TaskeeFlags.load('/api/entitlements?team=2')");
        Assert.Null(backend.Calls.Last().IfNoneMatch);
        Assert.Equal(HttpStatusCode.OK, backend.Calls.Last().Status);

        // A failure after an answer keeps the last state applied, not the rendered one.
        backend.Failing = true;
        Assert.Equal("entitlements: 503", await page.EvaluateAsync<string>("() => TaskeeFlags.load('/api/entitlements').then(() => 'resolved', e => e.message)"));
        await AssertShownAsync(page, reports: false, sso: true);

        // So does a network error (the backend unreachable).
        await page.RouteAsync("**/api/entitlements", route => route.AbortAsync("connectionrefused"));
        Assert.NotEqual("resolved", await page.EvaluateAsync<string>("() => TaskeeFlags.load('/api/entitlements').then(() => 'resolved', e => String(e))"));
        await AssertShownAsync(page, reports: false, sso: true);
    }

    private static async Task AssertShownAsync(IPage page, bool reports, bool sso)
    {
        await Expect(page.Locator("#reports"), reports);
        await Expect(page.Locator("#reports-upsell"), !reports);
        await Expect(page.Locator("#sso"), sso);
        await Expect(page.Locator("#sso-upsell"), !sso);

        static Task Expect(ILocator element, bool shown) =>
            shown ? Assertions.Expect(element).ToBeVisibleAsync() : Assertions.Expect(element).ToBeHiddenAsync();
    }

    private static async Task SetFeatureAsync(HttpClient admin, string orgId, string feature, bool enabled)
    {
        var response = await admin.PutAsync($"/v1/organisations/{orgId}/features/{feature}", TestApi.Json(new { enabled }));
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
    }

    /// <summary>The product backend: serves the page and the script, and relays the organisation's entitlements from the node.</summary>
    private sealed class FlagsBackend : IAsyncDisposable
    {
        private readonly WebApplication _app;

        private FlagsBackend(WebApplication app) => _app = app;

        public string Address => _app.Urls.First();

        public volatile bool Failing;

        public ConcurrentQueue<(string? IfNoneMatch, HttpStatusCode Status, string? ETag)> Calls { get; } = new();

        public static async Task<FlagsBackend> StartAsync(HttpClient taskee, string orgId)
        {
            var builder = WebApplication.CreateBuilder();
            builder.WebHost.UseUrls("http://127.0.0.1:0");
            builder.Logging.ClearProviders();
            var app = builder.Build();
            var backend = new FlagsBackend(app);
            var script = await File.ReadAllTextAsync(ScriptPath());

            app.MapGet("/", () => Results.Content(Page, "text/html"));
            app.MapGet("/taskee-flags.js", () => Results.Content(script, "text/javascript"));
            app.MapGet("/api/entitlements", async (HttpContext http) =>
            {
                var ifNoneMatch = http.Request.Headers.IfNoneMatch.ToString() is { Length: > 0 } tag ? tag : null;
                if (backend.Failing)
                {
                    backend.Calls.Enqueue((ifNoneMatch, HttpStatusCode.ServiceUnavailable, null));
                    return Results.StatusCode(StatusCodes.Status503ServiceUnavailable);
                }
                using var request = new HttpRequestMessage(HttpMethod.Get, $"/v1/organisations/{orgId}/entitlements");
                if (ifNoneMatch is not null) request.Headers.IfNoneMatch.Add(EntityTagHeaderValue.Parse(ifNoneMatch));
                using var answer = await taskee.SendAsync(request);
                var etag = answer.Headers.ETag?.ToString();
                backend.Calls.Enqueue((ifNoneMatch, answer.StatusCode, etag));
                if (etag is not null) http.Response.Headers.ETag = etag;
                if (answer.StatusCode == HttpStatusCode.NotModified) return Results.StatusCode(StatusCodes.Status304NotModified);
                return Results.Content(await answer.Content.ReadAsStringAsync(), "application/json", statusCode: (int)answer.StatusCode);
            });
            await app.StartAsync();
            return backend;
        }

        public async ValueTask DisposeAsync() => await _app.DisposeAsync();

        private static string ScriptPath()
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
                if (File.Exists(Path.Combine(dir.FullName, "Taskee.Orleans.sln"))) return Path.Combine(dir.FullName, "sdk", "js", "taskee-flags.js");
            throw new InvalidOperationException("The repository root (Taskee.Orleans.sln) is not above the test binaries.");
        }
    }
}

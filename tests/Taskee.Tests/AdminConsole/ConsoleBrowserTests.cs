using Deque.AxeCore.Playwright;
using Microsoft.Playwright;
using Taskee.Tests.Infrastructure;

namespace Taskee.Tests.AdminConsole;

/// <summary>
/// The admin console in Debian's Chromium against a node on a loopback port: a platform admin, an organisation admin
/// and a plain member each do their work by keyboard and mouse; no page logs an error; axe finds nothing serious.
/// Set TASKEE_CONSOLE_SCREENSHOTS to a folder (docs/) to write the screenshots there as well.
/// </summary>
[Trait("Category", "Browser")]
public sealed class ConsoleBrowserTests
{
    [Fact]
    public async Task Platform_admin_organisation_admin_and_member_each_get_what_they_may_do()
    {
        await using var database = await TestDatabase.CreateAsync();
        await using var node = new TaskeeNode(database);
        var baseAddress = await HeadlessChromium.StartOnLoopbackAsync(node);
        var admin = node.Admin();
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await HeadlessChromium.LaunchAsync(playwright);

        // Platform admin: signs in by keyboard, creates an organisation, sets a limit and a flag.
        var (platform, platformErrors) = await OpenAsync(browser, baseAddress);
        await AssertAccessibleAsync(platform);
        await Screenshot(platform, "signin");
        await SignInByKeyboardAsync(platform, TaskeeNode.AdminKey);
        await Assertions.Expect(platform.Locator("#overview-scope")).ToContainTextAsync("platform");
        await platform.ClickAsync("#menu-organisations");
        var orgId = TestApi.NewOrgId("console");
        await platform.FillAsync("#org-new-id", orgId);
        await platform.FillAsync("#org-new-name", "Zorg Noord");
        await platform.SelectOptionAsync("#org-new-plan", "pro");
        await platform.ClickAsync("#org-create-submit");
        await Assertions.Expect(platform.Locator("#orgs tbody")).ToContainTextAsync(orgId);
        await Assertions.Expect(platform.Locator("#org-detail-title")).ToContainTextAsync(orgId);
        await platform.SelectOptionAsync("#limit-metric", "ai_calls");
        await platform.FillAsync("#limit-value", "4242");
        await platform.ClickAsync("#limit-submit");
        await Assertions.Expect(platform.Locator("#org-entitlements")).ToContainTextAsync("4242");
        Assert.Equal(4242, (await admin.GetJsonAsync($"/v1/organisations/{orgId}/entitlements"))["limits"]!["ai_calls"]!["limit"]!.GetValue<long>());
        await AssertAccessibleAsync(platform);
        await Screenshot(platform, "organisations");

        await platform.ClickAsync("#menu-flags");
        await platform.FillAsync("#flag-key", "console-beta");
        await platform.FillAsync("#flag-rollout", "50");
        await platform.ClickAsync("#flag-submit");
        await Assertions.Expect(platform.Locator("#flag-confirm-text")).ToContainTextAsync("organisaties");
        await platform.Keyboard.PressAsync("Enter"); // the confirmation has the focus
        await Assertions.Expect(platform.Locator("#flags tbody")).ToContainTextAsync("console-beta");
        var flag = (await admin.GetJsonAsync("/v1/flags"))["items"]!.AsArray().Single(f => f!["key"]!.GetValue<string>() == "console-beta")!;
        Assert.Equal(50m, flag["rolloutPercent"]!.GetValue<decimal>());
        await Screenshot(platform, "flags");
        Assert.Empty(platformErrors);

        // Organisation admin: invites a member, creates and revokes a key, sees each audit event appear.
        var (org, orgErrors) = await OpenAsync(browser, baseAddress);
        await SignInAsync(org, await admin.CreateKeyAsync(orgId, "admin"));
        await Assertions.Expect(org.Locator("#menu-members")).ToBeVisibleAsync();
        Assert.Equal(0, await org.Locator("#menu-organisations").CountAsync());
        await org.ClickAsync("#menu-members");
        await org.FillAsync("#invite-user", "anna");
        await org.FillAsync("#invite-email", "anna@zorgnoord.example.nl");
        await org.ClickAsync("#invite-submit");
        await Assertions.Expect(org.Locator("#members tbody")).ToContainTextAsync("anna@zorgnoord.example.nl");
        await Screenshot(org, "members");
        await org.ClickAsync("#menu-audit");
        await Assertions.Expect(org.Locator("#audit tbody tr").First).ToContainTextAsync("member.added");

        await org.ClickAsync("#menu-keys");
        await org.FillAsync("#key-name", "rapportage");
        await org.ClickAsync("#key-submit");
        await Assertions.Expect(org.Locator("#key-secret")).ToContainTextAsync("tk_");
        await org.ClickAsync("#menu-audit");
        await Assertions.Expect(org.Locator("#audit tbody tr").First).ToContainTextAsync("apikey.created");
        await org.ClickAsync("#menu-keys");
        await org.ClickAsync("button[aria-label='Intrekken rapportage']");
        await Assertions.Expect(org.Locator("#keys tbody tr", new() { HasText = "rapportage" })).ToContainTextAsync("ingetrokken");
        await Screenshot(org, "keys");
        await org.ClickAsync("#menu-audit");
        await Assertions.Expect(org.Locator("#audit tbody tr").First).ToContainTextAsync("apikey.revoked");
        await AssertAccessibleAsync(org);
        await Screenshot(org, "audit");

        // English on request.
        await org.ClickAsync("#language");
        await Assertions.Expect(org.Locator("#audit-title")).ToHaveTextAsync("Audit log");
        await org.ClickAsync("#language");

        // An edit conflict: someone else renames the organisation while the form is open.
        await org.ClickAsync("#menu-settings");
        await Assertions.Expect(org.Locator("#settings-name")).ToHaveValueAsync("Zorg Noord");
        Assert.True((await admin.PatchAsync($"/v1/organisations/{orgId}", TestApi.Json(new { name = "Zorg Noord BV" }))).IsSuccessStatusCode);
        await org.FillAsync("#settings-name", "Zorg Noord Groep");
        await org.ClickAsync("#settings-submit");
        await Assertions.Expect(org.Locator("#conflict")).ToContainTextAsync("Iemand anders heeft dit intussen gewijzigd");
        await org.ClickAsync("#conflict-reload");
        await Assertions.Expect(org.Locator("#settings-name")).ToHaveValueAsync("Zorg Noord BV");
        Assert.All(orgErrors, e => Assert.Contains("412", e)); // the refused save, logged by the browser itself

        // A member: no admin actions offered, and forcing one from the page is refused.
        var (member, memberErrors) = await OpenAsync(browser, baseAddress);
        await SignInAsync(member, await admin.CreateKeyAsync(orgId, "member"));
        Assert.Equal(0, await member.Locator("#menu-members").CountAsync());
        Assert.Equal(0, await member.Locator("#menu-keys").CountAsync());
        await Assertions.Expect(member.Locator("#menu-settings")).ToBeVisibleAsync();
        await member.ClickAsync("#menu-settings");
        await Assertions.Expect(member.Locator("#settings-submit")).ToBeHiddenAsync();
        Assert.Empty(memberErrors);
        var forced = await member.EvaluateAsync<int>($$"""
            async () => (await fetch('/v1/organisations/{{orgId}}/members', { method: 'POST',
              headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': decodeURIComponent(document.cookie.split('taskee_csrf=')[1].split(';')[0]) },
              body: JSON.stringify({ userId: 'mallory', email: 'mallory@example.nl', role: 'owner' }) })).status
            """);
        Assert.Equal(403, forced);
        var withoutCsrf = await org.EvaluateAsync<int>($$"""
            async () => (await fetch('/v1/organisations/{{orgId}}/members', { method: 'POST', headers: { 'Content-Type': 'application/json' },
              body: JSON.stringify({ userId: 'mallory', email: 'mallory@example.nl', role: 'owner' }) })).status
            """);
        Assert.Equal(403, withoutCsrf);
        Assert.DoesNotContain((await admin.GetJsonAsync($"/v1/organisations/{orgId}/members"))["items"]!.AsArray(),
            m => m!["userId"]!.GetValue<string>() == "mallory");

        // Sign-out ends the session: the page is back at sign-in and the API refuses the old cookie.
        await member.ClickAsync("#signout");
        await Assertions.Expect(member.Locator("#signin")).ToBeVisibleAsync();
        Assert.Equal(401, await member.EvaluateAsync<int>("async () => (await fetch('/v1/me')).status"));
    }

    internal static async Task<(IPage Page, List<string> Errors)> OpenAsync(IBrowser browser, string baseAddress)
    {
        var context = await browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1280, Height = 900 } });
        var page = await context.NewPageAsync();
        var errors = new List<string>();
        page.Console += (_, message) => { if (message.Type == "error") errors.Add(message.Text); };
        page.PageError += (_, error) => errors.Add(error);
        await page.GotoAsync($"{baseAddress}/console");
        await Assertions.Expect(page.Locator("#signin")).ToBeVisibleAsync();
        return (page, errors);
    }

    internal static async Task SignInAsync(IPage page, string credential)
    {
        await page.FillAsync("#credential", credential);
        await page.ClickAsync("#credential-submit");
        await Assertions.Expect(page.Locator("#menu")).ToBeVisibleAsync();
    }

    /// <summary>Tab from the top of the page to the credential field, type, Enter; then into the menu by Tab.</summary>
    private static async Task SignInByKeyboardAsync(IPage page, string credential)
    {
        for (var i = 0; i < 12 && await page.EvaluateAsync<string>("document.activeElement.id") != "credential"; i++)
            await page.Keyboard.PressAsync("Tab");
        Assert.Equal("credential", await page.EvaluateAsync<string>("document.activeElement.id"));
        Assert.NotEqual("none", await page.EvaluateAsync<string>("getComputedStyle(document.activeElement).outlineStyle"));
        await page.Keyboard.TypeAsync(credential);
        await page.Keyboard.PressAsync("Enter");
        await Assertions.Expect(page.Locator("#menu")).ToBeVisibleAsync();
        for (var i = 0; i < 12 && await page.EvaluateAsync<string>("document.activeElement.id") != "menu-organisations"; i++)
            await page.Keyboard.PressAsync("Tab");
        await page.Keyboard.PressAsync("Enter");
        await Assertions.Expect(page.Locator("#page-organisations")).ToBeVisibleAsync();
    }

    internal static async Task AssertAccessibleAsync(IPage page)
    {
        var result = await page.RunAxe();
        var serious = result.Violations.Where(v => v.Impact is "serious" or "critical").ToList();
        Assert.True(serious.Count == 0, string.Join("\n", serious.Select(v => $"{v.Id}: {v.Help} ({string.Join(", ", v.Nodes.Select(n => n.Html))})")));
    }

    internal static async Task Screenshot(IPage page, string name)
    {
        var artifacts = Path.Combine(AppContext.BaseDirectory, "artifacts");
        Directory.CreateDirectory(artifacts);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(artifacts, $"console-{name}.png"), FullPage = true });
        if (Environment.GetEnvironmentVariable("TASKEE_CONSOLE_SCREENSHOTS") is { Length: > 0 } folder)
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(folder, $"console-{name}.png"), FullPage = true });
    }
}

using Deque.AxeCore.Playwright;
using Microsoft.Playwright;
using Taskee.Tests.Infrastructure;

namespace Taskee.Tests.Sales;

/// <summary>
/// The /enterprise intake form in a real headless Chromium (Debian's, as the /ops test), filled in with the keyboard only,
/// as a person who does not use a mouse would: language switch, fields in tab order, a field error from the API shown
/// beside its field, then the accepted lead. axe-core checks labels, contrast and ARIA of the page in both languages.
/// </summary>
[Trait("Category", "Browser")]
public sealed class EnterpriseFormBrowserTests
{
    [Fact]
    public async Task A_person_fills_in_the_form_with_the_keyboard_fixes_a_field_error_and_sends_a_qualified_lead()
    {
        await using var database = await TestDatabase.CreateAsync();
        await using var node = new TaskeeNode(database, new Dictionary<string, string?> { ["Leads:MinimumFillTime"] = "00:00:01" });
        var baseAddress = await HeadlessChromium.StartOnLoopbackAsync(node);
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await HeadlessChromium.LaunchAsync(playwright);
        var page = await browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 1000, Height = 1400 } });
        await page.GotoAsync($"{baseAddress}/enterprise");
        await Assertions.Expect(page.Locator("html")).ToHaveAttributeAsync("lang", "nl");
        await Assertions.Expect(page.Locator("#consent-text")).ToContainTextAsync("Taskee mag mij");
        await AssertAccessibleAsync(page);

        // The language switch, by keyboard: the first two stops of the tab order.
        await page.Keyboard.PressAsync("Tab");
        await page.Keyboard.PressAsync("Tab");
        Assert.Equal("en", await page.EvaluateAsync<string>("document.activeElement.dataset.lang"));
        Assert.Equal("solid", await page.EvaluateAsync<string>("getComputedStyle(document.activeElement).outlineStyle")); // visible focus
        await page.Keyboard.PressAsync("Enter");
        await Assertions.Expect(page.Locator("html")).ToHaveAttributeAsync("lang", "en");
        await Assertions.Expect(page.Locator("label[for=organisationName]")).ToHaveTextAsync("Organisation name *");
        await Assertions.Expect(page.Locator("#consent-text")).ToContainTextAsync("Taskee may contact me");
        await AssertAccessibleAsync(page);
        await page.Keyboard.PressAsync("Shift+Tab");
        await page.Keyboard.PressAsync("Enter");
        await Assertions.Expect(page.Locator("html")).ToHaveAttributeAsync("lang", "nl");

        // Every field in tab order, past the other language's button; the honeypot is skipped (tabindex -1).
        await page.Keyboard.PressAsync("Tab");
        await Tab(page, "organisationName");
        await page.Keyboard.TypeAsync("Zorggroep De Linde");
        await Tab(page, "sector");
        await page.Keyboard.PressAsync("ArrowDown"); // Zorg
        await Tab(page, "users");
        await page.Keyboard.TypeAsync("40");
        await Tab(page, "compliance-iso27001");
        await Tab(page, "compliance-nen7510");
        await page.Keyboard.PressAsync("Space");
        await Tab(page, "compliance-other");
        await Tab(page, "tooling-google-workspace");
        await Tab(page, "tooling-microsoft-365");
        await page.Keyboard.PressAsync("Space");
        await Tab(page, "tooling-other");
        await Tab(page, "needsSso");
        await page.Keyboard.PressAsync("Space");
        await Tab(page, "needsScim");
        await Tab(page, "needsSla");
        await Tab(page, "privateHosting");
        await Tab(page, "integrations");
        await page.Keyboard.TypeAsync("Nedap ONS");
        await Tab(page, "contactName");
        await page.Keyboard.TypeAsync("Anna de Vries");
        await Tab(page, "contactEmail");
        await page.Keyboard.TypeAsync("anna-at-delinde");
        await Tab(page, "contactPhone");
        await page.Keyboard.TypeAsync("+31 6 1234 5678");
        await Tab(page, "consent");
        await page.Keyboard.PressAsync("Space");
        await Tab(page, "send");
        await page.Keyboard.PressAsync("Enter");

        // The API's field error, beside its field; the field is marked and has the focus, ready to be corrected.
        await Assertions.Expect(page.Locator("[data-error-for='contact.email']")).ToContainTextAsync("contact.email is required");
        await Assertions.Expect(page.Locator("#contactEmail")).ToHaveAttributeAsync("aria-invalid", "true");
        await Assertions.Expect(page.Locator("#form-status")).ToHaveTextAsync("Controleer de gemarkeerde velden.");
        Assert.Equal("contactEmail", await page.EvaluateAsync<string>("document.activeElement.id"));
        var artifacts = Path.Combine(AppContext.BaseDirectory, "artifacts");
        Directory.CreateDirectory(artifacts);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(artifacts, "enterprise-intake-error.png"), FullPage = true });
        await page.Keyboard.PressAsync("Control+A");
        await page.Keyboard.TypeAsync("anna@delinde.example.nl");
        await page.Keyboard.PressAsync("Enter");

        await Assertions.Expect(page.Locator("#thanks")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#thanks h2")).ToBeFocusedAsync();
        var leadId = await page.Locator("#lead-id").TextContentAsync();
        Assert.StartsWith("lead_", leadId);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(artifacts, "enterprise-intake.png"), FullPage = true });

        var lead = await node.Admin().GetJsonAsync($"/v1/leads/{leadId}");
        Assert.True(lead["qualified"]!.GetValue<bool>());
        Assert.Equal("zorg", lead["sector"]!.GetValue<string>());
        Assert.Equal(40, lead["users"]!.GetValue<int>());
        Assert.Equal(["nen7510"], lead["compliance"]!.AsArray().Select(c => c!.GetValue<string>()));
        Assert.Equal(["microsoft-365"], lead["tooling"]!.AsArray().Select(c => c!.GetValue<string>()));
        Assert.True(lead["needsSso"]!.GetValue<bool>());
        Assert.Equal("Nedap ONS", lead["integrations"]!.GetValue<string>());
        Assert.Equal("anna@delinde.example.nl", lead["contact"]!["email"]!.GetValue<string>());
        Assert.Equal("nl", lead["language"]!.GetValue<string>());
        Assert.StartsWith("Taskee mag mij", lead["consent"]!["text"]!.GetValue<string>());
    }

    private static async Task Tab(IPage page, string expectedId)
    {
        await page.Keyboard.PressAsync("Tab");
        Assert.Equal(expectedId, await page.EvaluateAsync<string>("document.activeElement.id"));
    }

    private static async Task AssertAccessibleAsync(IPage page)
    {
        var result = await page.RunAxe();
        Assert.True(result.Violations.Length == 0,
            string.Join("\n", result.Violations.Select(v => $"{v.Id}: {v.Help} ({string.Join(", ", v.Nodes.Select(n => n.Html))})")));
    }
}

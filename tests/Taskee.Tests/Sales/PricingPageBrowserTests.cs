using Deque.AxeCore.Playwright;
using Microsoft.Playwright;
using Taskee.Tests.Infrastructure;

namespace Taskee.Tests.Sales;

/// <summary>
/// /enterprise/pricing in headless Chromium: for the same inputs the page shows exactly the total the API answers, and
/// it passes axe-core's checks.
/// </summary>
[Trait("Category", "Browser")]
public sealed class PricingPageBrowserTests
{
    private static readonly (int Seats, long AiCalls, long StorageGb, string[] AddOns, string Sla, int Years)[] Inputs =
    [
        (10, 20_000, 250, [], "none", 1),
        (120, 45_000, 700, ["sso", "scim"], "business", 3),
        (501, 1_000_001, 1_001, ["sso"], "premium", 2),
    ];

    [Fact]
    public async Task The_page_shows_the_same_total_as_the_api_for_the_same_inputs()
    {
        await using var database = await TestDatabase.CreateAsync();
        await using var node = new TaskeeNode(database);
        var baseAddress = await HeadlessChromium.StartOnLoopbackAsync(node);
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await HeadlessChromium.LaunchAsync(playwright);
        var page = await browser.NewPageAsync();
        await page.GotoAsync($"{baseAddress}/enterprise/pricing");
        await Assertions.Expect(page.Locator("#calc-status")).ToHaveAttributeAsync("data-state", "calculated");
        var axe = await page.RunAxe();
        Assert.True(axe.Violations.Length == 0, string.Join("\n", axe.Violations.Select(v => $"{v.Id}: {v.Help}")));

        var api = node.Client(null);
        foreach (var (seats, aiCalls, storageGb, addOns, sla, years) in Inputs)
        {
            await page.FillAsync("#seats", seats.ToString(System.Globalization.CultureInfo.InvariantCulture));
            await page.FillAsync("#aiCalls", aiCalls.ToString(System.Globalization.CultureInfo.InvariantCulture));
            await page.FillAsync("#storageGb", storageGb.ToString(System.Globalization.CultureInfo.InvariantCulture));
            foreach (var addOn in new[] { "sso", "scim" }) await page.SetCheckedAsync($"#addon-{addOn}", addOns.Contains(addOn));
            await page.SelectOptionAsync("#slaTier", sla);
            await page.SelectOptionAsync("#termYears", years.ToString(System.Globalization.CultureInfo.InvariantCulture));

            var quote = await (await api.PostAsync("/v1/quotes/calculate", TestApi.Json(new
            {
                plan = "enterprise", seats, aiCalls, storageGb, addOns, slaTier = sla, termYears = years,
            }))).ReadJsonAsync();
            var total = quote["totalCents"]!.GetValue<long>();
            await Assertions.Expect(page.Locator("#total")).ToHaveAttributeAsync("data-cents", total.ToString(System.Globalization.CultureInfo.InvariantCulture));
            await Assertions.Expect(page.Locator("#lines tbody tr")).ToHaveCountAsync(quote["lines"]!.AsArray().Count);
            // As nl-NL writes it (the test process runs culture-invariant): 1.234.567,89.
            var euros = (total / 100m).ToString("#,##0.00", System.Globalization.CultureInfo.InvariantCulture).Replace(',', ' ').Replace('.', ',').Replace(' ', '.');
            await Assertions.Expect(page.Locator("#total")).ToContainTextAsync(euros);
        }
    }
}

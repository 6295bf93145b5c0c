using System.Net;
using Microsoft.Playwright;
using Taskee.Tests.Infrastructure;
using Taskee.Tests.Sales;
using static Taskee.Tests.AdminConsole.ConsoleBrowserTests;

namespace Taskee.Tests.AdminConsole;

/// <summary>
/// Issue 16's further console pages in Debian's Chromium: an organisation admin reads usage charts and the SLA report;
/// a platform admin links billing, edits a custom plan, moves a lead and decides its quote; platform support reads all of it and is offered
/// no edit. Each action's audit event appears; no page logs an error; axe finds nothing serious.
/// </summary>
[Trait("Category", "Browser")]
public sealed class ConsoleUsageAndPlatformBrowserTests
{
    [Fact]
    public async Task Usage_sla_billing_plans_and_leads_each_do_their_work_for_the_roles_that_may()
    {
        await using var identity = await TestIdentityProvider.StartAsync();
        await using var database = await TestDatabase.CreateAsync();
        await using var node = new TaskeeNode(database, new Dictionary<string, string?>
        {
            ["Auth:Jwt:Authority"] = identity.Issuer,
            ["Auth:Jwt:Audience"] = TestIdentityProvider.Audience,
            ["Auth:Jwt:RequireHttpsMetadata"] = "false",
            ["Leads:MinimumFillTime"] = "00:00:00",
        });
        var baseAddress = await HeadlessChromium.StartOnLoopbackAsync(node);
        var admin = node.Admin();
        var orgId = TestApi.NewOrgId("usage");
        await admin.CreateOrganisationAsync(orgId);
        await admin.UsageAsync(orgId, "ai_calls", "consume", 12_500);
        await admin.UsageAsync(orgId, "storage_bytes", "consume", 512);
        await node.FlushAsync();
        var leadId = await LeadForms.CreateAsync(node.CreateClient(), LeadForms.Qualified("Zorggroep Console"));
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await HeadlessChromium.LaunchAsync(playwright);

        // Organisation admin: usage by keyboard, a chart and a table per metric; the SLA report is locked until the agreement has a tier.
        var (org, orgErrors) = await OpenAsync(browser, baseAddress);
        await SignInAsync(org, await admin.CreateKeyAsync(orgId, "admin"));
        await Assertions.Expect(org.Locator("#menu .locked", new() { HasText = "SLA" })).ToBeVisibleAsync();
        Assert.Equal(0, await org.Locator("#menu-sla").CountAsync());
        for (var i = 0; i < 20 && await org.EvaluateAsync<string>("document.activeElement.id") != "menu-usage"; i++) await org.Keyboard.PressAsync("Tab");
        await org.Keyboard.PressAsync("Enter");
        await Assertions.Expect(org.Locator("#page-usage")).ToBeVisibleAsync();
        await Assertions.Expect(org.Locator("#usage tbody")).ToContainTextAsync("ai_calls");
        await Assertions.Expect(org.Locator("#usage-chart-ai_calls svg rect.chart-bar")).ToHaveCountAsync(1); // today's 12,500; no other day used any
        await Assertions.Expect(org.Locator("#usage-chart-ai_calls svg rect.chart-bar")).ToBeVisibleAsync();
        Assert.Equal(1, await org.Locator("#usage-chart-ai_calls svg line.chart-limit").CountAsync());
        await org.Locator("#usage-chart-ai_calls summary").FocusAsync();
        await org.Keyboard.PressAsync("Enter");
        await Assertions.Expect(org.Locator("#usage-table-ai_calls tbody")).ToContainTextAsync("12.500");
        await Assertions.Expect(org.Locator("#usage-chart-storage_bytes figcaption")).ToContainTextAsync("512");
        await AssertAccessibleAsync(org);
        await Screenshot(org, "usage");

        Assert.True((await admin.PutAsync($"/v1/organisations/{orgId}/features/sla_business", TestApi.Json(new { enabled = true, reason = "test" }))).IsSuccessStatusCode);
        await org.ReloadAsync();
        await org.ClickAsync("#menu-sla");
        await Assertions.Expect(org.Locator("#sla tbody")).ToContainTextAsync("Beschikbaarheid");
        await Assertions.Expect(org.Locator("#sla-month")).ToHaveValueAsync(DateTime.UtcNow.ToString("yyyy-MM", System.Globalization.CultureInfo.InvariantCulture));
        await AssertAccessibleAsync(org);
        await Screenshot(org, "sla");
        Assert.Equal(0, await org.Locator("#menu-plans").CountAsync());
        Assert.Equal(0, await org.Locator("#menu-leads").CountAsync());
        await org.ClickAsync("#menu-billing");
        await Assertions.Expect(org.Locator("#billing-form")).ToBeHiddenAsync(); // linking is the platform's
        Assert.Empty(orgErrors);

        // Platform admin: links the organisation to a Stripe customer and sees the audit event.
        var (platform, platformErrors) = await OpenAsync(browser, baseAddress);
        await SignInAsync(platform, TaskeeNode.AdminKey);
        await platform.ClickAsync("#menu-organisations");
        await platform.ClickAsync($"#orgs a:text-is('{orgId}')");
        await Assertions.Expect(platform.Locator("#org-detail-title")).ToContainTextAsync(orgId);
        await platform.ClickAsync("#menu-billing");
        await platform.FillAsync("#billing-customer-id", "cus_Console42");
        await platform.ClickAsync("#billing-submit");
        await Assertions.Expect(platform.Locator("#billing-dashboard")).ToHaveAttributeAsync("href", "https://dashboard.stripe.com/customers/cus_Console42");
        await AssertAccessibleAsync(platform);
        await Screenshot(platform, "billing");
        await platform.ClickAsync("#menu-audit");
        await Assertions.Expect(platform.Locator("#audit tbody tr").First).ToContainTextAsync("billing.linked");

        // A custom plan, created and then edited from the table.
        await platform.ClickAsync("#menu-plans");
        await platform.FillAsync("#plan-id", "zorg-maatwerk");
        await platform.FillAsync("#plan-name", "Zorg maatwerk");
        await platform.FillAsync("#plan-limit-ai_calls", "250000");
        await platform.FillAsync("#plan-limit-storage_bytes", "1000000000");
        await platform.FillAsync("#plan-limit-seats", "400");
        await platform.FillAsync("#plan-features", "sso, audit_export");
        await platform.ClickAsync("#plan-submit");
        await Assertions.Expect(platform.Locator("#plans tbody tr", new() { HasText = "zorg-maatwerk" })).ToContainTextAsync("seats 400");
        await platform.ClickAsync("button[aria-label='Bewerken zorg-maatwerk']");
        await Assertions.Expect(platform.Locator("#plan-limit-seats")).ToHaveValueAsync("400");
        await platform.FillAsync("#plan-limit-seats", "450");
        await platform.ClickAsync("#plan-submit");
        await Assertions.Expect(platform.Locator("#plans tbody tr", new() { HasText = "zorg-maatwerk" })).ToContainTextAsync("seats 450");
        var plan = (await admin.GetJsonAsync("/v1/plans"))["items"]!.AsArray().Single(p => p!["id"]!.GetValue<string>() == "zorg-maatwerk")!;
        Assert.True(plan["custom"]!.GetValue<bool>());
        Assert.Equal(["audit_export", "sso"], plan["features"]!.AsArray().Select(f => f!.GetValue<string>()).Order());
        var planEvents = await PlatformAudit.EventsAboutAsync(admin, "plans/zorg-maatwerk");
        Assert.Equal(["plan.created", "plan.updated"], planEvents.Select(e => e["action"]!.GetValue<string>()));
        await AssertAccessibleAsync(platform);
        await Screenshot(platform, "plans");

        // Leads: the KPIs, the new lead under its status filter, moved to contacted with an owner.
        await platform.ClickAsync("#menu-leads");
        await Assertions.Expect(platform.Locator("#leads-kpis")).ToContainTextAsync("Dit kwartaal");
        await platform.SelectOptionAsync("#leads-filter-status", "new");
        await platform.ClickAsync("#leads a:text-is('Zorggroep Console')");
        await Assertions.Expect(platform.Locator("#lead-detail-title")).ToContainTextAsync("anna@delinde.example.nl");
        await platform.SelectOptionAsync("#lead-status", "contacted");
        await platform.FillAsync("#lead-owner", "Sanne");
        await platform.FillAsync("#lead-notes", "Demo gepland");
        await platform.ClickAsync("#lead-submit");
        await Assertions.Expect(platform.Locator("#message")).ToContainTextAsync(leadId);
        await Assertions.Expect(platform.Locator("#leads tbody")).Not.ToContainTextAsync("Zorggroep Console"); // no longer new
        await platform.SelectOptionAsync("#leads-filter-status", "contacted");
        await Assertions.Expect(platform.Locator("#leads tbody tr", new() { HasText = "Zorggroep Console" })).ToContainTextAsync("Sanne");
        var lead = await admin.GetJsonAsync($"/v1/leads/{leadId}");
        Assert.Equal("contacted", lead["status"]!.GetValue<string>());
        Assert.Equal("Demo gepland", lead["notes"]!.GetValue<string>());
        Assert.Contains("lead.updated", (await PlatformAudit.EventsAboutAsync(admin, $"leads/{leadId}")).Select(e => e["action"]!.GetValue<string>()));

        // An edit conflict on a lead: someone else changes it while it is open.
        Assert.True((await admin.PatchAsync($"/v1/leads/{leadId}", TestApi.Json(new { owner = "Joost" }))).IsSuccessStatusCode);
        await platform.FillAsync("#lead-notes", "Offerte volgt");
        await platform.ClickAsync("#lead-submit");
        await Assertions.Expect(platform.Locator("#lead-conflict")).ToBeVisibleAsync();
        await platform.ClickAsync("#lead-conflict-reload");
        await Assertions.Expect(platform.Locator("#lead-owner")).ToHaveValueAsync("Joost");

        // A quote for the lead from the price book's choices, its documents, then marked lost.
        await platform.SelectOptionAsync("#quote-plan", "enterprise");
        await platform.FillAsync("#quote-seats", "60");
        await platform.CheckAsync("#quote-addon-sso");
        await platform.SelectOptionAsync("#quote-sla", "business");
        await platform.ClickAsync("#quote-submit");
        await Assertions.Expect(platform.Locator("#quotes tbody tr").First).ToContainTextAsync("v1");
        var quote = (await admin.GetJsonAsync($"/v1/quotes?leadId={leadId}"))["items"]!.AsArray().Single()!;
        var quoteId = quote["id"]!.GetValue<string>();
        await Assertions.Expect(platform.Locator("#quotes tbody a", new() { HasText = "order-form" }))
            .ToHaveAttributeAsync("href", $"/v1/quotes/{quoteId}/documents/order-form?format=html&lang=nl");
        await AssertAccessibleAsync(platform);
        await Screenshot(platform, "leads");
        await platform.ClickAsync($"button[aria-label='Verloren {quote["number"]!.GetValue<string>()} v1']");
        await Assertions.Expect(platform.Locator("#quotes tbody tr").First).ToContainTextAsync("lost");
        Assert.Equal("lost", (await admin.GetJsonAsync($"/v1/quotes/{quoteId}"))["status"]!.GetValue<string>());
        Assert.Equal(["quote.created", "quote.lost"], (await PlatformAudit.EventsAboutAsync(admin, $"quotes/{quoteId}")).Select(e => e["action"]!.GetValue<string>()));
        Assert.All(platformErrors, e => Assert.Contains("412", e)); // the refused save, logged by the browser itself

        // Platform support reads plans, leads and billing and is offered no edit; a forced plan edit is refused.
        var (support, supportErrors) = await OpenAsync(browser, baseAddress);
        await SignInAsync(support, identity.Token(null, ["platform-support"]));
        await support.ClickAsync("#menu-plans");
        await Assertions.Expect(support.Locator("#plans tbody")).ToContainTextAsync("zorg-maatwerk");
        await Assertions.Expect(support.Locator("#plan-form")).ToBeHiddenAsync();
        Assert.Equal(0, await support.Locator("#plans button").CountAsync());
        await support.ClickAsync("#menu-leads");
        await support.ClickAsync("#leads a:text-is('Zorggroep Console')");
        await Assertions.Expect(support.Locator("#lead-submit")).ToBeHiddenAsync();
        await Assertions.Expect(support.Locator("#lead-status")).ToBeDisabledAsync();
        await Assertions.Expect(support.Locator("#quotes tbody")).ToContainTextAsync("lost");
        await Assertions.Expect(support.Locator("#quote-form")).ToBeHiddenAsync();
        await support.ClickAsync("#menu-organisations");
        await support.ClickAsync($"#orgs a:text-is('{orgId}')");
        await support.ClickAsync("#menu-billing");
        await Assertions.Expect(support.Locator("#billing-dashboard")).ToBeVisibleAsync();
        await Assertions.Expect(support.Locator("#billing-form")).ToBeHiddenAsync();
        await support.ClickAsync("#menu-usage");
        await Assertions.Expect(support.Locator("#usage-chart-ai_calls svg")).ToBeVisibleAsync();
        Assert.Empty(supportErrors);
        var forced = await support.EvaluateAsync<int>("""
            async () => (await fetch('/v1/plans/zorg-maatwerk', { method: 'PUT',
              headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': decodeURIComponent(document.cookie.split('taskee_csrf=')[1].split(';')[0]) },
              body: JSON.stringify({ name: 'x', limits: { ai_calls: 1, storage_bytes: 1, seats: 1 }, features: [] }) })).status
            """);
        Assert.Equal((int)HttpStatusCode.Forbidden, forced);
        Assert.Equal(450, (await admin.GetJsonAsync("/v1/plans"))["items"]!.AsArray().Single(p => p!["id"]!.GetValue<string>() == "zorg-maatwerk")!["limits"]!["seats"]!.GetValue<long>());
    }
}

using System.Net;
using Microsoft.Playwright;
using Taskee.Tests.Identity.Saml;
using Taskee.Tests.Infrastructure;
using Taskee.Tests.Webhooks;
using static Taskee.Tests.AdminConsole.ConsoleBrowserTests;

namespace Taskee.Tests.AdminConsole;

/// <summary>
/// The organisation admin's second set of console pages in Debian's Chromium: member role changes, custom roles, SSO
/// and SCIM settings, webhooks. Each action is done in the page and its audit event appears on the audit page; what a
/// role or plan lacks is not offered; no page logs an error (other than the browser's own line for a refused save).
/// </summary>
[Trait("Category", "Browser")]
public sealed class ConsoleAdminPagesBrowserTests
{
    [Fact]
    public async Task An_admin_changes_a_role_by_keyboard_sees_the_conflict_and_an_owner_edits_custom_roles()
    {
        await using var run = await ConsoleRun.StartAsync("enterprise");
        var (browser, baseAddress, admin, orgId) = (run.Browser, run.BaseAddress, run.Admin, run.OrgId);
        (await admin.PostAsync($"/v1/organisations/{orgId}/members", TestApi.Json(new { userId = "anna", email = "anna@zorgnoord.example.nl", role = "member" }))).EnsureSuccessStatusCode();
        (await admin.PostAsync($"/v1/organisations/{orgId}/members", TestApi.Json(new { userId = "olga", email = "olga@zorgnoord.example.nl", role = "owner" }))).EnsureSuccessStatusCode();

        // An admin: picks a role and reaches the change button by Tab; owner is neither offered nor may be unmade.
        var (org, orgErrors) = await OpenAsync(browser, baseAddress);
        await SignInAsync(org, await admin.CreateKeyAsync(orgId, "admin"));
        await OpenPageAsync(org, "members");
        await Assertions.Expect(org.Locator("#role-anna")).ToHaveValueAsync("member");
        Assert.DoesNotContain("owner", await org.Locator("#role-anna option").AllTextContentsAsync());
        Assert.DoesNotContain("owner", await org.Locator("#invite-role option").AllTextContentsAsync());
        await Assertions.Expect(org.Locator("#role-olga")).ToBeDisabledAsync();
        await org.SelectOptionAsync("#role-anna", "billing");
        await org.FocusAsync("#role-anna");
        await org.Keyboard.PressAsync("Tab");
        Assert.Equal("Rol wijzigen anna", await org.EvaluateAsync<string>("document.activeElement.getAttribute('aria-label')"));
        await org.Keyboard.PressAsync("Enter");
        await Assertions.Expect(org.Locator("#message")).ToContainTextAsync("anna heeft nu rol billing");
        await Assertions.Expect(org.Locator("#role-anna")).ToHaveValueAsync("billing");
        Assert.Equal("billing", (await admin.GetJsonAsync($"/v1/organisations/{orgId}/members"))["items"]!.AsArray().Single(m => m!["userId"]!.GetValue<string>() == "anna")!["role"]!.GetValue<string>());
        await Screenshot(org, "member-roles");
        await OpenPageAsync(org, "audit");
        await Assertions.Expect(org.Locator("#audit tbody tr").First).ToContainTextAsync("member.role_changed");

        // Someone else changes the organisation while the list is open: the role change is refused with the 412 message.
        await OpenPageAsync(org, "members");
        await Assertions.Expect(org.Locator("#role-anna")).ToHaveValueAsync("billing");
        (await admin.PatchAsync($"/v1/organisations/{orgId}", TestApi.Json(new { name = "Zorg Noord BV" }))).EnsureSuccessStatusCode();
        await org.SelectOptionAsync("#role-anna", "auditor");
        await org.ClickAsync("button[aria-label='Rol wijzigen anna']");
        await Assertions.Expect(org.Locator("#members-conflict")).ToContainTextAsync("Iemand anders heeft dit intussen gewijzigd");
        await org.ClickAsync("#members-conflict-reload");
        await Assertions.Expect(org.Locator("#members-conflict")).ToBeHiddenAsync();
        await Assertions.Expect(org.Locator("#role-anna")).ToHaveValueAsync("billing");
        Assert.All(orgErrors, e => Assert.Contains("412", e));

        // The admin reads roles but may not write them: no form, no edit or delete.
        await OpenPageAsync(org, "roles");
        await Assertions.Expect(org.Locator("#roles tbody")).ToContainTextAsync("auditor");
        await Assertions.Expect(org.Locator("#role-form")).ToBeHiddenAsync();

        // An owner creates, edits and deletes a custom role; each change is on the audit page.
        var (owner, ownerErrors) = await OpenAsync(browser, baseAddress);
        await SignInAsync(owner, await admin.CreateKeyAsync(orgId, "owner"));
        await OpenPageAsync(owner, "roles");
        await owner.FillAsync("#role-name", "planner");
        await owner.CheckAsync("#role-permissions input[value='org:read']");
        await owner.CheckAsync("#role-permissions input[value='audit:read']");
        await owner.ClickAsync("#role-submit");
        await Assertions.Expect(owner.Locator("#roles tbody tr", new() { HasText = "planner" })).ToContainTextAsync("audit:read, org:read");
        await AssertAccessibleAsync(owner);
        await Screenshot(owner, "roles");
        await AssertAuditShowsAsync(owner, "role.created");
        await OpenPageAsync(owner, "roles");
        await owner.ClickAsync("button[aria-label='Bewerken planner']");
        await Assertions.Expect(owner.Locator("#role-permissions input[value='audit:read']")).ToBeCheckedAsync();
        await owner.UncheckAsync("#role-permissions input[value='audit:read']");
        await owner.ClickAsync("#role-submit");
        await Assertions.Expect(owner.Locator("#roles tbody tr", new() { HasText = "planner" })).Not.ToContainTextAsync("audit:read");
        await AssertAuditShowsAsync(owner, "role.updated");
        await OpenPageAsync(owner, "roles");
        await owner.ClickAsync("button[aria-label='Verwijderen planner']");
        await Assertions.Expect(owner.Locator("#roles tbody")).Not.ToContainTextAsync("planner");
        await AssertAuditShowsAsync(owner, "role.deleted");
        Assert.Empty(ownerErrors);
    }

    [Fact]
    public async Task An_owner_sets_saml_and_oidc_copies_the_sp_values_and_makes_a_scim_token_and_a_starter_admin_is_shown_the_plan()
    {
        await using var run = await ConsoleRun.StartAsync("enterprise");
        var (browser, baseAddress, admin, orgId) = (run.Browser, run.BaseAddress, run.Admin, run.OrgId);
        using var idp = new TestSamlIdp("https://idp.zorgnoord.example/saml");

        var (owner, errors) = await OpenAsync(browser, baseAddress);
        await owner.Context.GrantPermissionsAsync(["clipboard-read", "clipboard-write"], new() { Origin = baseAddress });
        await SignInAsync(owner, await admin.CreateKeyAsync(orgId, "owner"));
        await OpenPageAsync(owner, "sso");
        await Assertions.Expect(owner.Locator("#saml-sp-later")).ToBeVisibleAsync();
        await owner.FillAsync("#saml-idp-entity", "https://idp.zorgnoord.example/saml");
        await owner.FillAsync("#saml-idp-sso", "https://idp.zorgnoord.example/saml/sso");
        await owner.FillAsync("#saml-certificate", idp.CertificatePem);
        await owner.ClickAsync("#saml-submit");
        await Assertions.Expect(owner.Locator("#saml-sp-entity")).ToContainTextAsync($"/saml/{orgId}");
        await Assertions.Expect(owner.Locator("#saml-sp-acs")).ToContainTextAsync($"/saml/{orgId}/acs");
        await owner.ClickAsync("button[data-copy='saml-sp-metadata']");
        await Assertions.Expect(owner.Locator("#message")).ToHaveTextAsync("Gekopieerd.");
        Assert.EndsWith($"/saml/{orgId}/metadata", await owner.EvaluateAsync<string>("navigator.clipboard.readText()"));
        Assert.Equal("https://idp.zorgnoord.example/saml/sso", (await admin.GetJsonAsync($"/v1/organisations/{orgId}/sso/saml"))["idpSsoUrl"]!.GetValue<string>());
        await AssertAuditShowsAsync(owner, "sso.saml.configured");

        await OpenPageAsync(owner, "sso");
        await owner.FillAsync("#oidc-issuer", "https://login.zorgnoord.example/tenant");
        await owner.FillAsync("#oidc-audience", "taskee");
        await owner.FillAsync("#oidc-client", "taskee-web");
        await owner.FillAsync("#oidc-secret", "s3cret-value");
        await owner.ClickAsync("#oidc-submit");
        await Assertions.Expect(owner.Locator("#message")).ToContainTextAsync("OpenID Connect-instellingen opgeslagen");
        var sso = await admin.GetJsonAsync($"/v1/organisations/{orgId}/sso");
        Assert.True(sso["clientSecretSet"]!.GetValue<bool>());
        await Assertions.Expect(owner.Locator("#oidc-secret")).ToHaveValueAsync("");
        await AssertAuditShowsAsync(owner, "sso.configured");

        await OpenPageAsync(owner, "sso");
        await Assertions.Expect(owner.Locator("#scim-base")).ToHaveTextAsync($"{baseAddress}/scim/v2");
        await owner.ClickAsync("#scim-token-create");
        await Assertions.Expect(owner.Locator("#scim-secret")).ToContainTextAsync("tk_");
        var scimKey = await owner.Locator("#scim-secret").TextContentAsync();
        using var scim = new HttpClient { BaseAddress = new Uri(baseAddress) };
        scim.DefaultRequestHeaders.Authorization = new("Bearer", scimKey);
        Assert.True((await scim.GetAsync("/scim/v2/Users")).IsSuccessStatusCode);
        await AssertAccessibleAsync(owner);
        await Screenshot(owner, "sso");
        await AssertAuditShowsAsync(owner, "apikey.created");
        // Settings not yet made are a 404 of the API, which the browser logs itself; the page logs nothing.
        Assert.All(errors, e => Assert.Contains("404", e));

        // A starter organisation's admin: no SSO or webhooks pages, the menu names the plans that include them.
        var starter = TestApi.NewOrgId("console");
        await admin.CreateOrganisationAsync(starter, "starter");
        var (small, smallErrors) = await OpenAsync(browser, baseAddress);
        await SignInAsync(small, await admin.CreateKeyAsync(starter, "owner"));
        Assert.Equal(0, await small.Locator("#menu-sso").CountAsync());
        Assert.Equal(0, await small.Locator("#menu-webhooks").CountAsync());
        await Assertions.Expect(small.Locator("#menu .locked", new() { HasText = "SSO" })).ToContainTextAsync("enterprise");
        await Assertions.Expect(small.Locator("#menu .locked", new() { HasText = "Webhooks" })).ToContainTextAsync("pro");
        await OpenPageAsync(small, "roles");
        await Assertions.Expect(small.Locator("#roles-locked")).ToContainTextAsync("enterprise");
        await Assertions.Expect(small.Locator("#role-form")).ToBeHiddenAsync();
        Assert.Empty(smallErrors);
    }

    [Fact]
    public async Task An_owner_maps_groups_to_roles_names_the_claims_and_deletes_the_saml_settings()
    {
        await using var run = await ConsoleRun.StartAsync("enterprise");
        var (browser, baseAddress, admin, orgId) = (run.Browser, run.BaseAddress, run.Admin, run.OrgId);
        using var idp = new TestSamlIdp("https://idp.zorgnoord.example/saml");
        var (owner, errors) = await OpenAsync(browser, baseAddress);
        await SignInAsync(owner, await admin.CreateKeyAsync(orgId, "owner"));

        // SAML: attribute names and a group map; a line that is not "group = role" is refused by the page, nothing saved.
        await OpenPageAsync(owner, "sso");
        await owner.FillAsync("#saml-idp-entity", idp.EntityId);
        await owner.FillAsync("#saml-idp-sso", "https://idp.zorgnoord.example/saml/sso");
        await owner.FillAsync("#saml-certificate", idp.CertificatePem);
        await owner.FillAsync("#saml-email-attribute", "mail");
        await owner.FillAsync("#saml-roles-attribute", "groups");
        await owner.FillAsync("#saml-group-roles", "Taskee Admins = admin\nno role here");
        await owner.ClickAsync("#saml-submit");
        await Assertions.Expect(owner.Locator("#message")).ToContainTextAsync("Regel 2 is geen");
        Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync($"/v1/organisations/{orgId}/sso/saml")).StatusCode);
        await owner.FillAsync("#saml-group-roles", "Taskee Admins = admin\nZorg = Planners = auditor");
        await owner.ClickAsync("#saml-submit");
        await Assertions.Expect(owner.Locator("#message")).ToContainTextAsync("SAML-instellingen opgeslagen");
        var saml = await admin.GetJsonAsync($"/v1/organisations/{orgId}/sso/saml");
        Assert.Equal("mail", saml["emailAttribute"]!.GetValue<string>());
        Assert.Equal("groups", saml["rolesAttribute"]!.GetValue<string>());
        Assert.Equal("admin", saml["groupRoles"]!["Taskee Admins"]!.GetValue<string>());
        Assert.Equal("auditor", saml["groupRoles"]!["Zorg = Planners"]!.GetValue<string>());
        await AssertAuditShowsAsync(owner, "sso.saml.configured");

        // OIDC: claim names and a group map, read back into the form.
        await OpenPageAsync(owner, "sso");
        await Assertions.Expect(owner.Locator("#saml-group-roles")).ToHaveValueAsync("Taskee Admins = admin\nZorg = Planners = auditor");
        await owner.FillAsync("#oidc-issuer", "https://login.zorgnoord.example/tenant");
        await owner.FillAsync("#oidc-audience", "taskee");
        await owner.FillAsync("#oidc-client", "taskee-web");
        await owner.FillAsync("#oidc-roles-claim", "taskee_roles");
        await owner.FillAsync("#oidc-groups-claim", "grp");
        await owner.FillAsync("#oidc-group-roles", "Ops = billing");
        await owner.ClickAsync("#oidc-submit");
        await Assertions.Expect(owner.Locator("#message")).ToContainTextAsync("OpenID Connect-instellingen opgeslagen");
        var oidc = await admin.GetJsonAsync($"/v1/organisations/{orgId}/sso");
        Assert.Equal("taskee_roles", oidc["rolesClaim"]!.GetValue<string>());
        Assert.Equal("grp", oidc["groupsClaim"]!.GetValue<string>());
        Assert.Equal("billing", oidc["groupRoles"]!["Ops"]!.GetValue<string>());
        await AssertAuditShowsAsync(owner, "sso.configured");

        // SCIM group roles.
        await OpenPageAsync(owner, "sso");
        await owner.FillAsync("#scim-group-roles", "Support = member");
        await owner.ClickAsync("#scim-roles-submit");
        await Assertions.Expect(owner.Locator("#message")).ToContainTextAsync("SCIM-groepsrollen opgeslagen");
        Assert.Equal("member", (await admin.GetJsonAsync($"/v1/organisations/{orgId}/scim/group-roles"))["Support"]!.GetValue<string>());
        await AssertAccessibleAsync(owner);
        await Screenshot(owner, "sso-maps");
        await AssertAuditShowsAsync(owner, "scim.group_roles.updated");

        // Deleting SAML asks once more; then the settings are gone and the audit says so.
        await OpenPageAsync(owner, "sso");
        await owner.ClickAsync("#saml-delete");
        await Assertions.Expect(owner.Locator("#saml-delete-confirm")).ToBeFocusedAsync();
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync($"/v1/organisations/{orgId}/sso/saml")).StatusCode);
        await owner.Keyboard.PressAsync("Enter");
        await Assertions.Expect(owner.Locator("#message")).ToContainTextAsync("SAML-instellingen verwijderd");
        await Assertions.Expect(owner.Locator("#saml-sp-later")).ToBeVisibleAsync();
        Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync($"/v1/organisations/{orgId}/sso/saml")).StatusCode);
        await AssertAuditShowsAsync(owner, "sso.saml.removed");
        // Settings not yet made are a 404 of the API, which the browser logs itself; the page logs nothing.
        Assert.All(errors, e => Assert.Contains("404", e));

        // An admin reads the maps but may not change them (sso:write is the owner's): no save, no delete.
        var (reader, readerErrors) = await OpenAsync(browser, baseAddress);
        await SignInAsync(reader, await admin.CreateKeyAsync(orgId, "admin"));
        await OpenPageAsync(reader, "sso");
        await Assertions.Expect(reader.Locator("#oidc-group-roles")).ToHaveValueAsync("Ops = billing");
        await Assertions.Expect(reader.Locator("#scim-roles-submit")).ToBeHiddenAsync();
        await Assertions.Expect(reader.Locator("#saml-delete")).ToBeHiddenAsync();
        Assert.All(readerErrors, e => Assert.Contains("404", e));
    }

    [Fact]
    public async Task An_admin_creates_tests_edits_rotates_redelivers_and_deletes_a_webhook_and_a_member_sees_none_of_it()
    {
        await using var run = await ConsoleRun.StartAsync("pro", new Dictionary<string, string?>
        {
            ["Webhooks:AllowInsecureUrls"] = "true",
            ["Webhooks:AllowPrivateTargets"] = "true",
        });
        var (browser, baseAddress, admin, orgId) = (run.Browser, run.BaseAddress, run.Admin, run.OrgId);
        await using var receiver = await WebhookReceiver.StartAsync();

        var (org, errors) = await OpenAsync(browser, baseAddress);
        await SignInAsync(org, await admin.CreateKeyAsync(orgId, "admin"));
        await OpenPageAsync(org, "webhooks");
        await org.FillAsync("#webhook-url", receiver.Url);
        await org.FillAsync("#webhook-events", "*");
        await org.ClickAsync("#webhook-submit");
        await Assertions.Expect(org.Locator("#webhook-secret")).ToContainTextAsync("whsec_");
        var secret = (await org.Locator("#webhook-secret").TextContentAsync())!;
        receiver.Trust(secret);
        await Assertions.Expect(org.Locator("#webhooks tbody")).ToContainTextAsync(receiver.Url);
        await AssertAuditShowsAsync(org, "webhook.created");

        await OpenPageAsync(org, "webhooks");
        await org.ClickAsync($"button[aria-label='Test sturen {receiver.Url}']");
        await Assertions.Expect(org.Locator("#deliveries tbody tr:has(td:text-is('test'))")).ToContainTextAsync("succeeded");
        // The endpoint also delivers the organisation's own events (its creation, the test): one can be sent again.
        var logged = org.Locator("#deliveries tbody tr:has(td:text-is('log'))");
        for (var i = 0; i < 30 && await logged.CountAsync() == 0; i++)
        {
            await Task.Delay(500);
            await org.ClickAsync("#deliveries-reload");
        }
        await logged.First.Locator("button").ClickAsync();
        await Assertions.Expect(org.Locator("#deliveries tbody tr:has(td:text-is('redeliver'))").First).ToContainTextAsync("succeeded");
        await AssertAccessibleAsync(org);
        await Screenshot(org, "webhooks");
        await AssertAuditShowsAsync(org, "webhook.redelivered");

        await OpenPageAsync(org, "webhooks");
        await org.ClickAsync($"button[aria-label='Bewerken {receiver.Url}']");
        await org.FillAsync("#webhook-events", "member.*, org.*");
        await org.UncheckAsync("#webhook-enabled");
        await org.ClickAsync("#webhook-submit");
        await Assertions.Expect(org.Locator("#webhooks tbody")).ToContainTextAsync("member.*, org.*");
        await Assertions.Expect(org.Locator("#webhooks tbody")).ToContainTextAsync("uit");
        await AssertAuditShowsAsync(org, "webhook.updated");

        await OpenPageAsync(org, "webhooks");
        await org.ClickAsync($"button[aria-label='Vernieuwen {receiver.Url}']");
        await Assertions.Expect(org.Locator("#webhook-secret")).Not.ToHaveTextAsync(secret);
        Assert.StartsWith("whsec_", await org.Locator("#webhook-secret").TextContentAsync());
        await AssertAuditShowsAsync(org, "webhook.secret_rotated");

        // An edit over a stale version: the 412 message and a reload.
        await OpenPageAsync(org, "webhooks");
        await org.ClickAsync($"button[aria-label='Bewerken {receiver.Url}']");
        var webhookId = (await admin.GetJsonAsync($"/v1/organisations/{orgId}/webhooks"))["items"]![0]!["id"]!.GetValue<string>();
        (await admin.PatchAsync($"/v1/organisations/{orgId}/webhooks/{webhookId}", TestApi.Json(new { description = "by someone else" }))).EnsureSuccessStatusCode();
        await org.CheckAsync("#webhook-enabled");
        await org.ClickAsync("#webhook-submit");
        await Assertions.Expect(org.Locator("#webhooks-conflict")).ToContainTextAsync("Iemand anders heeft dit intussen gewijzigd");
        await org.ClickAsync("#webhooks-conflict-reload");
        await Assertions.Expect(org.Locator("#webhooks-conflict")).ToBeHiddenAsync();

        await org.ClickAsync($"button[aria-label='Verwijderen {receiver.Url}']");
        await Assertions.Expect(org.Locator("#webhooks tbody")).Not.ToContainTextAsync(receiver.Url);
        await AssertAuditShowsAsync(org, "webhook.deleted");
        Assert.All(errors, e => Assert.Contains("412", e));

        // A member: no webhooks, roles or members pages, and a forced role change is refused.
        var (member, memberErrors) = await OpenAsync(browser, baseAddress);
        await SignInAsync(member, await admin.CreateKeyAsync(orgId, "member"));
        foreach (var page in new[] { "#menu-webhooks", "#menu-roles", "#menu-members", "#menu-sso" })
            Assert.Equal(0, await member.Locator(page).CountAsync());
        Assert.Empty(memberErrors);
        var forced = await member.EvaluateAsync<int>($$"""
            async () => (await fetch('/v1/organisations/{{orgId}}/members/anyone', { method: 'PATCH',
              headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': decodeURIComponent(document.cookie.split('taskee_csrf=')[1].split(';')[0]) },
              body: JSON.stringify({ role: 'owner' }) })).status
            """);
        Assert.Equal(403, forced);
    }

    /// <summary>A node on a loopback port with one organisation of the plan, and Debian's Chromium to open it.</summary>
    private sealed class ConsoleRun : IAsyncDisposable
    {
        private TestDatabase _database = null!;
        private TaskeeNode _node = null!;
        private IPlaywright _playwright = null!;

        public IBrowser Browser { get; private set; } = null!;
        public string BaseAddress { get; private set; } = "";
        public HttpClient Admin { get; private set; } = null!;
        public string OrgId { get; } = TestApi.NewOrgId("console");

        public static async Task<ConsoleRun> StartAsync(string plan, IDictionary<string, string?>? settings = null)
        {
            var run = new ConsoleRun { _database = await TestDatabase.CreateAsync() };
            run._node = new TaskeeNode(run._database, settings);
            run.BaseAddress = await HeadlessChromium.StartOnLoopbackAsync(run._node);
            run.Admin = run._node.Admin();
            await run.Admin.CreateOrganisationAsync(run.OrgId, plan);
            run._playwright = await Playwright.CreateAsync();
            run.Browser = await HeadlessChromium.LaunchAsync(run._playwright);
            return run;
        }

        public async ValueTask DisposeAsync()
        {
            await Browser.DisposeAsync();
            _playwright.Dispose();
            await _node.DisposeAsync();
            await _database.DisposeAsync();
        }
    }

    /// <summary>Opens a page from the menu and waits until the page has shown its data (the shell's data-loaded).</summary>
    private static async Task OpenPageAsync(IPage page, string name)
    {
        await page.ClickAsync("#menu-" + name);
        await Assertions.Expect(page.Locator("body")).ToHaveAttributeAsync("data-loaded", name);
    }

    private static async Task AssertAuditShowsAsync(IPage page, string action)
    {
        await OpenPageAsync(page, "audit");
        await Assertions.Expect(page.Locator("#audit tbody tr").First).ToContainTextAsync(action);
    }
}

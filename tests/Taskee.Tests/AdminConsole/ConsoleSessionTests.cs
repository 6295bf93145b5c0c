using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Mvc.Testing;
using Taskee.Tests.Infrastructure;

namespace Taskee.Tests.AdminConsole;

/// <summary>The console's cookie session at the HTTP level: what it carries, CSRF, isolation, revocation and idle timeout.</summary>
public sealed class ConsoleSessionTests
{
    private static HttpClient Browser(TaskeeNode node) => node.CreateClient(new WebApplicationFactoryClientOptions { HandleCookies = true });

    private static async Task<(HttpClient Browser, string Csrf, string Session)> SignInAsync(TaskeeNode node, string credential)
    {
        var browser = Browser(node);
        var request = new HttpRequestMessage(HttpMethod.Post, "/console/session");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", credential);
        var response = await browser.SendAsync(request);
        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        var cookies = response.Headers.GetValues("Set-Cookie").ToList();
        var session = Assert.Single(cookies, c => c.StartsWith("taskee_console=", StringComparison.Ordinal));
        Assert.Contains("httponly", session, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=strict", session, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(credential, session, StringComparison.Ordinal); // protected, not the key itself
        var csrf = Assert.Single(cookies, c => c.StartsWith("taskee_csrf=", StringComparison.Ordinal));
        return (browser, csrf["taskee_csrf=".Length..csrf.IndexOf(';')], session[..session.IndexOf(';')]);
    }

    private static HttpRequestMessage Unsafe(HttpMethod method, string path, object body, string? csrf)
    {
        var request = new HttpRequestMessage(method, path) { Content = TestApi.Json(body) };
        if (csrf is not null) request.Headers.Add("X-CSRF-Token", csrf);
        return request;
    }

    [Fact]
    public async Task The_cookie_acts_as_the_key_it_was_opened_with_within_its_own_organisation_only()
    {
        await using var database = await TestDatabase.CreateAsync();
        await using var node = await new TaskeeNode(database).StartAsync();
        var admin = node.Admin();
        var a = TestApi.NewOrgId("a");
        var b = TestApi.NewOrgId("b");
        await admin.CreateOrganisationAsync(a);
        await admin.CreateOrganisationAsync(b);
        var (browser, csrf, _) = await SignInAsync(node, await admin.CreateKeyAsync(a, "admin"));

        var me = await browser.GetJsonAsync("/v1/me");
        Assert.Equal(a, me["orgId"]!.GetValue<string>());
        var permissions = me["permissions"]!.AsArray().Select(p => p!.GetValue<string>()).ToList();
        Assert.Contains("members:write", permissions);
        Assert.DoesNotContain(permissions, p => p.StartsWith("platform:", StringComparison.Ordinal));

        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync($"/v1/organisations/{a}/members")).StatusCode);
        await (await browser.GetAsync($"/v1/organisations/{b}/members")).AssertProblemAsync(HttpStatusCode.NotFound);
        var intoB = await browser.SendAsync(Unsafe(HttpMethod.Post, $"/v1/organisations/{b}/members",
            new { userId = "mallory", email = "mallory@example.nl", role = "owner" }, csrf));
        await intoB.AssertProblemAsync(HttpStatusCode.NotFound);
        Assert.Empty((await admin.GetJsonAsync($"/v1/organisations/{b}/members"))["items"]!.AsArray());
        await (await browser.GetAsync("/v1/organisations")).AssertProblemAsync(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task An_unsafe_request_by_cookie_needs_the_sessions_csrf_token_and_a_bearer_caller_does_not()
    {
        await using var database = await TestDatabase.CreateAsync();
        await using var node = await new TaskeeNode(database).StartAsync();
        var admin = node.Admin();
        var org = TestApi.NewOrgId("csrf");
        await admin.CreateOrganisationAsync(org);
        var (browser, csrf, session) = await SignInAsync(node, await admin.CreateKeyAsync(org, "admin"));
        var member = new { userId = "anna", email = "anna@example.nl", role = "member" };

        var without = await browser.SendAsync(Unsafe(HttpMethod.Post, $"/v1/organisations/{org}/members", member, null));
        var problem = await without.AssertProblemAsync(HttpStatusCode.Forbidden);
        Assert.Contains("X-CSRF-Token", problem["detail"]!.GetValue<string>());
        // A token the page could forge into the cookie jar, but not the one bound to this session: refused as well.
        var planted = node.CreateClient(new WebApplicationFactoryClientOptions { HandleCookies = false });
        var forged = Unsafe(HttpMethod.Post, $"/v1/organisations/{org}/members", member, "forged-value-forged-value-forged-value");
        forged.Headers.Add("Cookie", $"{session}; taskee_csrf=forged-value-forged-value-forged-value");
        Assert.Equal(HttpStatusCode.Unauthorized, (await planted.SendAsync(forged)).StatusCode);
        Assert.Empty((await admin.GetJsonAsync($"/v1/organisations/{org}/members"))["items"]!.AsArray());

        var with = await browser.SendAsync(Unsafe(HttpMethod.Post, $"/v1/organisations/{org}/members", member, csrf));
        Assert.Equal(HttpStatusCode.Created, with.StatusCode);
        var audit = await admin.AuditEventsAsync(org);
        Assert.Contains(audit, e => e["action"]!.GetValue<string>() == "member.added" && e["actor"]!["kind"]!.GetValue<string>() == "apiKey");

        // Bearer callers are untouched: no CSRF token asked.
        Assert.Equal(HttpStatusCode.Created, (await admin.PostAsync($"/v1/organisations/{org}/members",
            TestApi.Json(new { userId = "bram", email = "bram@example.nl", role = "member" }))).StatusCode);
    }

    [Fact]
    public async Task A_revoked_key_ends_its_session_and_sign_out_ends_it_too()
    {
        await using var database = await TestDatabase.CreateAsync();
        await using var node = await new TaskeeNode(database).StartAsync();
        var admin = node.Admin();
        var org = TestApi.NewOrgId("revoke");
        await admin.CreateOrganisationAsync(org);
        var key = await admin.CreateKeyAsync(org, "admin");
        var (browser, _, _) = await SignInAsync(node, key);
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/v1/me")).StatusCode);

        var keyId = (await admin.GetJsonAsync($"/v1/organisations/{org}/api-keys"))["items"]!.AsArray()
            .Single(k => k!["name"]!.GetValue<string>() == "test key")!["id"]!.GetValue<string>();
        Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync($"/v1/organisations/{org}/api-keys/{keyId}")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await browser.GetAsync("/v1/me")).StatusCode);

        var (second, csrf, _) = await SignInAsync(node, await admin.CreateKeyAsync(org, "member"));
        var signOut = new HttpRequestMessage(HttpMethod.Delete, "/console/session");
        Assert.Equal(HttpStatusCode.Forbidden, (await second.SendAsync(signOut)).StatusCode); // CSRF applies to sign-out too
        signOut = new HttpRequestMessage(HttpMethod.Delete, "/console/session");
        signOut.Headers.Add("X-CSRF-Token", csrf);
        Assert.Equal(HttpStatusCode.NoContent, (await second.SendAsync(signOut)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await second.GetAsync("/v1/me")).StatusCode);
    }

    [Fact]
    public async Task Opening_a_session_without_credential_needs_an_sso_session_or_says_what_is_open()
    {
        await using var database = await TestDatabase.CreateAsync();
        await using var node = await new TaskeeNode(database).StartAsync();
        var admin = node.Admin();
        var org = TestApi.NewOrgId("open");
        await admin.CreateOrganisationAsync(org);

        // Nothing to open over: no SSO session, no console session.
        var bare = await Browser(node).PostAsync("/console/session", null);
        var problem = await bare.AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.Contains("sign in with SSO first", problem["detail"]!.GetValue<string>());

        // A key's console session is open already: it says it is not an SSO one (so the page never renews it).
        var (browser, csrf, _) = await SignInAsync(node, await admin.CreateKeyAsync(org, "member"));
        var again = new HttpRequestMessage(HttpMethod.Post, "/console/session");
        again.Headers.Add("X-CSRF-Token", csrf);
        var open = await browser.SendAsync(again);
        Assert.Equal(HttpStatusCode.OK, open.StatusCode);
        Assert.False((await open.Content.ReadFromJsonAsync<System.Text.Json.Nodes.JsonObject>())!["sso"]!.GetValue<bool>());
        Assert.Equal(HttpStatusCode.Forbidden, (await browser.PostAsync("/console/session", null)).StatusCode); // CSRF applies
    }

    [Fact]
    public async Task A_session_idle_for_longer_than_the_timeout_is_refused()
    {
        await using var database = await TestDatabase.CreateAsync();
        var clock = new ManualClock(DateTimeOffset.UtcNow);
        await using var node = await new TaskeeNode(database, new Dictionary<string, string?> { ["Console:IdleTimeout"] = "00:10:00" }, clock).StartAsync();
        var admin = node.Admin();
        var org = TestApi.NewOrgId("idle");
        await admin.CreateOrganisationAsync(org);
        var (browser, _, _) = await SignInAsync(node, await admin.CreateKeyAsync(org, "member"));

        clock.Set(clock.GetUtcNow().AddMinutes(8));
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/v1/me")).StatusCode); // in use: the cookie slides
        clock.Set(clock.GetUtcNow().AddMinutes(8));
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/v1/me")).StatusCode);
        clock.Set(clock.GetUtcNow().AddMinutes(11));
        Assert.Equal(HttpStatusCode.Unauthorized, (await browser.GetAsync("/v1/me")).StatusCode);
    }

    [Theory]
    [InlineData("00:00:05", false)]
    [InlineData("1.00:00:00", false)]
    [InlineData("00:30:00", true)]
    public void The_idle_timeout_is_validated_with_a_message_that_names_the_setting(string value, bool valid)
    {
        var options = new Taskee.Api.AdminConsole.ConsoleOptions { IdleTimeout = TimeSpan.Parse(value, System.Globalization.CultureInfo.InvariantCulture) };
        var results = new List<System.ComponentModel.DataAnnotations.ValidationResult>();
        Assert.Equal(valid, System.ComponentModel.DataAnnotations.Validator.TryValidateObject(options, new(options), results, validateAllProperties: true));
        if (!valid) Assert.Contains("Console:IdleTimeout must be between", Assert.Single(results).ErrorMessage);
    }

    [Fact]
    public async Task The_page_is_served_with_a_strict_content_security_policy()
    {
        await using var database = await TestDatabase.CreateAsync();
        await using var node = await new TaskeeNode(database).StartAsync();
        var page = await node.CreateClient().GetAsync("/console");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        var csp = page.Headers.GetValues("Content-Security-Policy").Single();
        Assert.Contains("script-src 'self'", csp);
        Assert.DoesNotContain("unsafe-inline", csp);
        var html = await page.Content.ReadAsStringAsync();
        Assert.DoesNotContain("<script>", html);
        Assert.DoesNotContain("style=", html);
        Assert.Equal(HttpStatusCode.OK, (await node.CreateClient().GetAsync("/console/assets/shell.js")).StatusCode);
    }
}

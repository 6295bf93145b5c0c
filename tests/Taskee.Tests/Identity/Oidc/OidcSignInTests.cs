using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using System.Text;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Taskee.Api.Identity.Issuer;
using Taskee.Grains.Storage;
using Taskee.Tests.Infrastructure;

namespace Taskee.Tests.Identity.Oidc;

/// <summary>
/// The authorization code flow with PKCE against a real OpenID provider on loopback, driven as a browser would:
/// login → provider → callback, with the handler's cookies and no automatic redirects, ending in the node's own
/// sign-in service: a member, a seat, an audit event and a Taskee session, or a refusal that leaves none of them.
/// </summary>
public sealed class OidcSignInTests(OidcFixture fixture) : IClassFixture<OidcFixture>
{
    private readonly HttpClient _admin = fixture.Node.Admin();
    private TestIdentityProvider Provider => fixture.Provider;

    private sealed record Org(string Id, string ClientId, string Secret);

    private async Task<Org> OrganisationAsync(TestUser? user = null, string plan = "enterprise", bool jit = true)
    {
        var id = TestApi.NewOrgId("oidc");
        await _admin.CreateOrganisationAsync(id, plan);
        var org = new Org(id, $"client-{id}", $"secret-{Guid.NewGuid():N}");
        Provider.RegisterClient(org.ClientId, org.Secret);
        Provider.Users[id] = user ?? new TestUser($"sub-{id}", $"ann@{id}.example", true, "Ann de Vries", new[] { "Staff", "Planners" });
        if (plan == "enterprise")
        {
            var put = await _admin.PutAsync($"/v1/organisations/{id}/sso", TestApi.Json(new
            {
                issuer = Provider.TenantIssuer(id), audience = TestIdentityProvider.Audience, clientId = org.ClientId, clientSecret = org.Secret,
                groupRoles = new Dictionary<string, string> { ["Planners"] = "admin" }, jitProvisioning = jit,
            }));
            Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        }
        return org;
    }

    /// <summary>The login redirect: the browser and where the node sent it.</summary>
    private async Task<(HttpClient Browser, Uri Authorize)> LoginAsync(string orgId, string returnTo = "/console/tasks")
    {
        var browser = fixture.Browser();
        var login = await browser.GetAsync($"/oidc/{orgId}/login?returnTo={Uri.EscapeDataString(returnTo)}");
        Assert.Equal(HttpStatusCode.Redirect, login.StatusCode);
        return (browser, login.Headers.Location!);
    }

    /// <summary>The provider's answer: where it sends the browser back to (the callback, with code and state).</summary>
    private static async Task<Uri> AuthorizeAsync(Uri authorize)
    {
        using var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false });
        var response = await client.GetAsync(authorize);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        return response.Headers.Location!;
    }

    private static Task<HttpResponseMessage> CallbackAsync(HttpClient browser, string pathAndQuery, bool json = true)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, pathAndQuery);
        if (json) request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        return browser.SendAsync(request);
    }

    private async Task<HttpResponseMessage> SignInAsync(string orgId, bool json = true)
    {
        var (browser, authorize) = await LoginAsync(orgId);
        return await CallbackAsync(browser, (await AuthorizeAsync(authorize)).PathAndQuery, json);
    }

    private async Task<HttpResponseMessage> BentAsync(string orgId, IdTokenBend bend)
    {
        Provider.Bend = bend;
        try
        {
            return await SignInAsync(orgId, json: true);
        }
        finally
        {
            Provider.Bend = null;
        }
    }

    private async Task<List<string>> AuditActionsAsync(string orgId) =>
        (await _admin.AuditEventsAsync(orgId)).Select(e => e["action"]!.GetValue<string>()).ToList();

    /// <summary>What a refusal must leave behind: no member, no seat, no sign-in in the audit trail, no session.</summary>
    private async Task AssertNobodySignedInAsync(string orgId, HttpResponseMessage? response = null)
    {
        Assert.Empty(await OidcFixture.MembersAsync(_admin, orgId));
        Assert.Equal(0, await OidcFixture.SeatsUsedAsync(_admin, orgId));
        Assert.DoesNotContain("auth.signed_in", await AuditActionsAsync(orgId));
        if (response is not null)
            Assert.DoesNotContain(response.Headers.TryGetValues("Set-Cookie", out var cookies) ? cookies : [], c => c.StartsWith("taskee_session=", StringComparison.Ordinal));
    }

    private static IEnumerable<string> SetCookies(HttpResponseMessage response) =>
        response.Headers.TryGetValues("Set-Cookie", out var cookies) ? cookies : [];

    [Fact]
    public async Task The_code_flow_provisions_the_member_takes_a_seat_and_sends_the_browser_to_returnTo_with_a_session()
    {
        var org = await OrganisationAsync();
        var (browser, authorize) = await LoginAsync(org.Id, "/console/tasks?view=week");

        Assert.StartsWith($"{Provider.TenantIssuer(org.Id)}/authorize?", authorize.ToString());
        var query = QueryHelpers.ParseQuery(authorize.Query);
        Assert.Equal("code", query["response_type"].ToString());
        Assert.Equal(org.ClientId, query["client_id"].ToString());
        Assert.Equal("S256", query["code_challenge_method"].ToString());
        Assert.Equal(43, query["code_challenge"].ToString().Length);
        Assert.False(string.IsNullOrEmpty(query["state"]));
        Assert.False(string.IsNullOrEmpty(query["nonce"]));
        Assert.Equal("openid email profile", query["scope"].ToString());

        var callback = await AuthorizeAsync(authorize);
        Assert.Equal($"/oidc/{org.Id}/callback", callback.AbsolutePath);
        var response = await CallbackAsync(browser, callback.PathAndQuery, json: false);

        Assert.Equal(HttpStatusCode.SeeOther, response.StatusCode);
        Assert.Equal("/console/tasks?view=week", response.Headers.Location!.OriginalString);
        var session = Assert.Single(SetCookies(response), c => c.StartsWith("taskee_session=", StringComparison.Ordinal));
        Assert.Contains("httponly", session, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=lax", session, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("secure", session, StringComparison.OrdinalIgnoreCase);

        // Provisioned just in time, with the role the ID token's groups map to (Planners → admin), on one seat.
        var member = Assert.Single(await OidcFixture.MembersAsync(_admin, org.Id));
        Assert.Equal(($"ann@{org.Id}.example", "admin"), (member["email"]!.GetValue<string>(), member["role"]!.GetValue<string>()));
        Assert.Equal(1, await OidcFixture.SeatsUsedAsync(_admin, org.Id));
        var signedIn = Assert.Single(await _admin.AuditEventsAsync(org.Id), e => e["action"]!.GetValue<string>() == "auth.signed_in");
        Assert.Contains("oidc", signedIn.ToJsonString());
        Assert.Contains($"sub-{org.Id}", signedIn.ToJsonString());

        // The browser's session cookie works on the API.
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync($"/v1/organisations/{org.Id}")).StatusCode);

        var token = Assert.Single(Provider.TokenRequests, t => t.Tenant == org.Id);
        Assert.True(token.PkceValid, "the provider got a code_verifier that hashes to the code_challenge");
        Assert.Null(token.Error);
        Assert.Equal(org.Secret, token.Parameters["client_secret"]);
    }

    [Fact]
    public async Task The_redirect_uri_comes_from_the_public_url_whatever_host_and_scheme_the_request_came_in_on()
    {
        var org = await OrganisationAsync();
        var expected = $"{OidcFixture.PublicUrl}/oidc/{org.Id}/callback";
        var uris = new List<string>();
        foreach (var (scheme, host) in new[] { ("https", "localhost"), ("http", "silo-2.internal:8080"), ("https", "proxy.example.net") })
        {
            var browser = fixture.Node.CreateClient(new WebApplicationFactoryClientOptions
            {
                AllowAutoRedirect = false, HandleCookies = true, BaseAddress = new Uri($"{scheme}://{host}"),
            });
            var login = await browser.GetAsync($"/oidc/{org.Id}/login");
            Assert.Equal(HttpStatusCode.Redirect, login.StatusCode);
            uris.Add(QueryHelpers.ParseQuery(login.Headers.Location!.Query)["redirect_uri"].ToString());
        }

        Assert.All(uris, uri => Assert.Equal(expected, uri));
        // The code is redeemed with the same redirect_uri (the provider refuses any other), so the sign-in completes.
        var (signIn, authorize) = await LoginAsync(org.Id);
        Assert.Equal(HttpStatusCode.SeeOther, (await CallbackAsync(signIn, (await AuthorizeAsync(authorize)).PathAndQuery, json: false)).StatusCode);
        Assert.Equal(expected, Assert.Single(Provider.TokenRequests, t => t.Tenant == org.Id).Parameters["redirect_uri"]);
    }

    [Fact]
    public async Task A_client_that_accepts_json_gets_tokens_that_work_on_its_organisation_only_and_refresh()
    {
        var org = await OrganisationAsync();
        var other = await OrganisationAsync();
        var response = await SignInAsync(org.Id, json: true);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var tokens = await response.ReadJsonAsync();
        Assert.Equal("Bearer", tokens["token_type"]!.GetValue<string>());
        var access = new JsonWebToken(tokens["access_token"]!.GetValue<string>());
        Assert.Equal((OidcFixture.PublicUrl, org.Id), (access.Issuer, access.GetPayloadValue<string>("org_id")));
        Assert.Contains("oidc", access.GetPayloadValue<List<string>>("amr"));

        var bearer = fixture.Bearer(tokens["access_token"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.OK, (await bearer.GetAsync($"/v1/organisations/{org.Id}")).StatusCode);
        await (await bearer.GetAsync($"/v1/organisations/{other.Id}")).AssertProblemAsync(HttpStatusCode.NotFound);

        var refreshed = await fixture.Node.CreateClient().PostAsync("/v1/auth/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "refresh_token", ["refresh_token"] = tokens["refresh_token"]!.GetValue<string>(),
        }));
        Assert.Equal(HttpStatusCode.OK, refreshed.StatusCode);
        var renewed = (await refreshed.ReadJsonAsync())["access_token"]!.GetValue<string>();
        Assert.Equal(HttpStatusCode.OK, (await fixture.Bearer(renewed).GetAsync($"/v1/organisations/{org.Id}")).StatusCode);
    }

    [Fact]
    public async Task With_the_seats_full_a_new_person_is_refused_and_nothing_is_provisioned()
    {
        var org = await OrganisationAsync();
        (await _admin.PostAsync($"/v1/organisations/{org.Id}/members", TestApi.Json(new { userId = "kim", email = "kim@example.com", role = "owner" }))).EnsureSuccessStatusCode();
        await _admin.SetLimitAsync(org.Id, "seats", 1);

        var response = await SignInAsync(org.Id);

        var problem = await response.AssertProblemAsync(HttpStatusCode.Forbidden);
        Assert.Contains("seats", problem["detail"]!.GetValue<string>());
        Assert.Equal(["kim"], (await OidcFixture.MembersAsync(_admin, org.Id)).Select(m => m["userId"]!.GetValue<string>()));
        Assert.Equal(1, await OidcFixture.SeatsUsedAsync(_admin, org.Id));
        Assert.DoesNotContain("auth.signed_in", await AuditActionsAsync(org.Id));
        Assert.DoesNotContain(SetCookies(response), c => c.StartsWith("taskee_session=", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Without_jit_provisioning_an_unknown_email_is_a_403_and_nobody_is_added()
    {
        var org = await OrganisationAsync(jit: false);
        var response = await SignInAsync(org.Id);

        var problem = await response.AssertProblemAsync(HttpStatusCode.Forbidden);
        Assert.Contains("not a member", problem["detail"]!.GetValue<string>());
        await AssertNobodySignedInAsync(org.Id, response);
    }

    [Fact]
    public async Task An_existing_member_is_signed_in_by_email_without_a_second_seat()
    {
        var org = await OrganisationAsync(jit: false);
        (await _admin.PostAsync($"/v1/organisations/{org.Id}/members", TestApi.Json(new { userId = "ann", email = $"Ann@{org.Id.ToUpperInvariant()}.example", role = "auditor" })))
            .EnsureSuccessStatusCode();

        var tokens = await (await SignInAsync(org.Id)).ReadJsonAsync();

        Assert.Equal("ann", new JsonWebToken(tokens["access_token"]!.GetValue<string>()).Subject);
        var member = Assert.Single(await OidcFixture.MembersAsync(_admin, org.Id));
        Assert.Equal("admin", member["role"]!.GetValue<string>()); // the provider's groups decide: Planners → admin
        Assert.Equal(1, await OidcFixture.SeatsUsedAsync(_admin, org.Id));
        Assert.Contains("auth.signed_in", await AuditActionsAsync(org.Id));
    }

    [Fact]
    public async Task A_browser_that_already_has_a_taskee_session_signs_in_again_untroubled_by_csrf_or_the_session_cookie()
    {
        var org = await OrganisationAsync();
        var (browser, authorize) = await LoginAsync(org.Id);
        Assert.Equal(HttpStatusCode.SeeOther, (await CallbackAsync(browser, (await AuthorizeAsync(authorize)).PathAndQuery, json: false)).StatusCode);

        // The same browser, now with taskee_session and taskee_csrf cookies, and a stale session cookie in another.
        var login = await browser.GetAsync($"/oidc/{org.Id}/login?returnTo=/again");
        Assert.Equal(HttpStatusCode.Redirect, login.StatusCode);
        var again = await CallbackAsync(browser, (await AuthorizeAsync(login.Headers.Location!)).PathAndQuery, json: false);
        Assert.Equal(HttpStatusCode.SeeOther, again.StatusCode);
        Assert.Equal("/again", again.Headers.Location!.OriginalString);

        // A browser whose session cookies are rubbish: the callback does not try them (nor fail on them).
        var stale = fixture.Browser();
        stale.DefaultRequestHeaders.Add("Cookie", "taskee_session=not-a-token; taskee_refresh=nor-this; taskee_csrf=x");
        var staleLogin = await stale.GetAsync($"/oidc/{org.Id}/login");
        Assert.Equal(HttpStatusCode.Redirect, staleLogin.StatusCode);
        Assert.Equal(HttpStatusCode.SeeOther, (await CallbackAsync(stale, (await AuthorizeAsync(staleLogin.Headers.Location!)).PathAndQuery, json: false)).StatusCode);

        Assert.Equal(1, await OidcFixture.SeatsUsedAsync(_admin, org.Id));
        Assert.Equal(3, (await AuditActionsAsync(org.Id)).Count(a => a == "auth.signed_in"));
    }

    [Fact]
    public async Task The_state_and_nonce_cookies_are_protected_with_the_key_ring_every_silo_reads_from_the_database()
    {
        var org = await OrganisationAsync();
        var browser = fixture.Browser();
        var login = await browser.GetAsync($"/oidc/{org.Id}/login?returnTo=/x");
        var query = QueryHelpers.ParseQuery(login.Headers.Location!.Query);
        var cookies = SetCookies(login).ToList();

        // Another silo: a Data Protection of its own on the same database and key-encryption key.
        using var otherSilo = new ServiceCollection()
            .AddSingleton(fixture.Node.Services.GetRequiredService<IKeyRingStore>())
            .AddSingleton(fixture.Node.Services.GetRequiredService<IOptions<IssuerOptions>>())
            .AddTaskeeDataProtection()
            .BuildServiceProvider();
        var protector = otherSilo.GetRequiredService<IDataProtectionProvider>()
            .CreateProtector(typeof(OpenIdConnectHandler).FullName!, $"Oidc:{org.Id}", "v1");

        var strings = otherSilo.GetRequiredService<IDataProtectionProvider>()
            .CreateProtector(typeof(OpenIdConnectHandler).FullName!, typeof(string).FullName!, $"Oidc:{org.Id}", "v1");

        var state = new PropertiesDataFormat(protector).Unprotect(query["state"]);
        Assert.NotNull(state);
        Assert.Equal("/x", state.RedirectUri);
        var correlation = Assert.Single(cookies, c => c.StartsWith($".AspNetCore.Correlation.{state.Items[".xsrf"]}=", StringComparison.Ordinal));
        var nonceCookie = Assert.Single(cookies, c => c.StartsWith(".AspNetCore.OpenIdConnect.Nonce.", StringComparison.Ordinal));
        var protectedNonce = nonceCookie[".AspNetCore.OpenIdConnect.Nonce.".Length..nonceCookie.IndexOf('=')];
        Assert.Equal(query["nonce"].ToString(), new SecureDataFormat<string>(new Utf8(), strings).Unprotect(protectedNonce));
        foreach (var cookie in new[] { correlation, nonceCookie })
        {
            Assert.Contains($"path=/oidc/{org.Id}/callback", cookie, StringComparison.OrdinalIgnoreCase);
            Assert.Contains("secure", cookie, StringComparison.OrdinalIgnoreCase);
            Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
        }
        // The key ring is stored encrypted, as the issuer configured it: no master key in the clear.
        var ring = fixture.Node.Services.GetRequiredService<IKeyRingStore>().ListElements();
        Assert.NotEmpty(ring);
        Assert.All(ring, xml => Assert.DoesNotContain("<masterKey", xml));
    }

    [Fact]
    public async Task The_authentication_middleware_does_not_ask_the_oidc_schemes_on_other_requests()
    {
        var org = await OrganisationAsync();
        var schemes = fixture.Node.Services.GetRequiredService<IAuthenticationSchemeProvider>();

        Assert.NotNull(await schemes.GetSchemeAsync($"Oidc:{org.Id}"));
        Assert.DoesNotContain(await schemes.GetRequestHandlerSchemesAsync(), s => s.Name.StartsWith("Oidc:", StringComparison.Ordinal));
        // The handler's default sign-out paths are nobody's: a plain 404, not a sign-out through an organisation's scheme.
        foreach (var path in new[] { "/signout-oidc", "/signout-callback-oidc", "/signin-oidc" })
            Assert.Equal(HttpStatusCode.NotFound, (await fixture.Browser().GetAsync(path)).StatusCode);
    }

    [Fact]
    public async Task A_tampered_state_is_refused_and_nobody_is_signed_in()
    {
        var org = await OrganisationAsync();
        var (browser, authorize) = await LoginAsync(org.Id);
        var callback = await AuthorizeAsync(authorize);
        var query = QueryHelpers.ParseQuery(callback.Query);
        var state = query["state"].ToString();
        var tampered = QueryHelpers.AddQueryString(callback.AbsolutePath,
            new Dictionary<string, string?> { ["code"] = query["code"], ["state"] = state[..^4] + (state.EndsWith("AAAA") ? "BBBB" : "AAAA") });

        var response = await CallbackAsync(browser, tampered);
        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest);

        Assert.Contains("does not belong to a sign-in this browser started", problem["detail"]!.GetValue<string>());
        await AssertNobodySignedInAsync(org.Id, response);
    }

    [Fact]
    public async Task A_callback_without_the_browsers_correlation_cookie_is_refused_with_a_page_for_the_browser()
    {
        var org = await OrganisationAsync();
        var (_, authorize) = await LoginAsync(org.Id);
        var callback = await AuthorizeAsync(authorize);

        var response = await CallbackAsync(fixture.Browser(), callback.PathAndQuery, json: false);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains($"/oidc/{org.Id}/login", await response.Content.ReadAsStringAsync());
        await AssertNobodySignedInAsync(org.Id, response);
    }

    [Fact]
    public async Task A_replayed_callback_is_refused_and_signs_in_only_once()
    {
        var org = await OrganisationAsync();
        var (browser, authorize) = await LoginAsync(org.Id);
        var callback = (await AuthorizeAsync(authorize)).PathAndQuery;

        Assert.Equal(HttpStatusCode.OK, (await CallbackAsync(browser, callback)).StatusCode);
        var replay = await CallbackAsync(browser, callback);
        await replay.AssertProblemAsync(HttpStatusCode.BadRequest);

        Assert.Single(await OidcFixture.MembersAsync(_admin, org.Id));
        Assert.Single(await AuditActionsAsync(org.Id), a => a == "auth.signed_in");
        Assert.DoesNotContain(SetCookies(replay), c => c.StartsWith("taskee_session=", StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_id_token_with_another_nonce_is_refused()
    {
        var org = await OrganisationAsync();
        var response = await BentAsync(org.Id, new IdTokenBend(Nonce: "a-nonce-of-another-sign-in"));

        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.Contains("not issued for this sign-in", problem["detail"]!.GetValue<string>());
        await AssertNobodySignedInAsync(org.Id, response);
    }

    public static TheoryData<string> BentTokens => ["audience", "issuer", "unsigned"];

    [Theory]
    [MemberData(nameof(BentTokens))]
    public async Task An_id_token_of_another_audience_or_issuer_or_unsigned_is_refused(string bend)
    {
        var org = await OrganisationAsync();
        var response = await BentAsync(org.Id, bend switch
        {
            "audience" => new IdTokenBend(Audience: "client-of-another-app"),
            "issuer" => new IdTokenBend(Issuer: Provider.TenantIssuer("another-tenant")),
            _ => new IdTokenBend(Unsigned: true),
        });

        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.Contains("could not be verified", problem["detail"]!.GetValue<string>());
        await AssertNobodySignedInAsync(org.Id, response);
    }

    [Fact]
    public async Task Access_denied_by_the_provider_is_a_403_that_says_so()
    {
        var org = await OrganisationAsync();
        var response = await BentAsync(org.Id, new IdTokenBend(Deny: true));

        var problem = await response.AssertProblemAsync(HttpStatusCode.Forbidden);
        Assert.Contains("access_denied", problem["detail"]!.GetValue<string>());
        await AssertNobodySignedInAsync(org.Id, response);
        Assert.DoesNotContain(Provider.TokenRequests, t => t.Tenant == org.Id);
    }

    [Fact]
    public async Task An_email_the_provider_has_not_verified_signs_nobody_in()
    {
        var org = await OrganisationAsync(new TestUser("sub-unverified", "eve@example.com", EmailVerified: false));
        var response = await SignInAsync(org.Id);
        var problem = await response.AssertProblemAsync(HttpStatusCode.Forbidden);

        Assert.Contains("not verified", problem["detail"]!.GetValue<string>());
        await AssertNobodySignedInAsync(org.Id, response);
    }

    [Theory]
    [InlineData("//evil.example")]
    [InlineData("https://evil.example/console")]
    [InlineData("/\\evil.example")]
    public async Task A_returnTo_on_another_site_is_refused_before_any_redirect(string returnTo)
    {
        var org = await OrganisationAsync();
        var response = await fixture.Browser().GetAsync($"/oidc/{org.Id}/login?returnTo={Uri.EscapeDataString(returnTo)}");

        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.Contains("returnTo", problem["detail"]!.GetValue<string>());
        Assert.Null(response.Headers.Location);
    }

    [Fact]
    public async Task Login_says_what_to_configure_when_there_is_no_oidc_sign_in()
    {
        var none = TestApi.NewOrgId("oidc");
        await _admin.CreateOrganisationAsync(none, "enterprise");
        var noSso = await (await fixture.Browser().GetAsync($"/oidc/{none}/login")).AssertProblemAsync(HttpStatusCode.NotFound);
        Assert.Contains("clientId", noSso["detail"]!.GetValue<string>());

        await _admin.PutAsync($"/v1/organisations/{none}/sso", TestApi.Json(new { issuer = Provider.TenantIssuer(none), audience = "a" }));
        var issuerOnly = await (await fixture.Browser().GetAsync($"/oidc/{none}/login")).AssertProblemAsync(HttpStatusCode.NotFound);
        Assert.Contains("clientId", issuerOnly["detail"]!.GetValue<string>());
        await (await fixture.Browser().GetAsync($"/oidc/{none}/callback?code=x&state=y")).AssertProblemAsync(HttpStatusCode.NotFound);

        await (await fixture.Browser().GetAsync($"/oidc/{TestApi.NewOrgId("nobody")}/login")).AssertProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Login_needs_the_sso_feature()
    {
        var org = await OrganisationAsync();
        await _admin.PutAsync($"/v1/organisations/{org.Id}/features/sso", TestApi.Json(new { enabled = false }));

        var problem = await (await fixture.Browser().GetAsync($"/oidc/{org.Id}/login")).AssertProblemAsync(HttpStatusCode.Forbidden);
        Assert.Contains("sso", problem["detail"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_sign_in_started_for_organisation_a_never_signs_in_to_b()
    {
        var a = await OrganisationAsync();
        var b = await OrganisationAsync();
        var (browser, authorize) = await LoginAsync(a.Id);
        var callback = await AuthorizeAsync(authorize);

        var intoB = await CallbackAsync(browser, $"/oidc/{b.Id}/callback{callback.Query}");

        await intoB.AssertProblemAsync(HttpStatusCode.BadRequest);
        await AssertNobodySignedInAsync(b.Id, intoB);
        await AssertNobodySignedInAsync(a.Id);
        // A's own callback still works, and signs in to A only.
        Assert.Equal(HttpStatusCode.SeeOther, (await CallbackAsync(browser, callback.PathAndQuery, json: false)).StatusCode);
        Assert.Single(await OidcFixture.MembersAsync(_admin, a.Id));
        await AssertNobodySignedInAsync(b.Id);
    }

    /// <summary>How the handler serialises the nonce it protects into the nonce cookie's name.</summary>
    private sealed class Utf8 : IDataSerializer<string>
    {
        public byte[] Serialize(string model) => Encoding.UTF8.GetBytes(model);

        public string Deserialize(byte[] data) => Encoding.UTF8.GetString(data);
    }
}

using System.Net;
using System.Net.Http.Headers;
using Microsoft.AspNetCore.WebUtilities;
using Taskee.Tests.Infrastructure;

namespace Taskee.Tests.Identity.Oidc;

/// <summary>
/// The authorization code flow with PKCE against a real OpenID provider on loopback, driven as a browser would:
/// login → provider → callback, with the handler's cookies and no automatic redirects.
/// </summary>
public sealed class OidcSignInTests(OidcFixture fixture) : IClassFixture<OidcFixture>
{
    private readonly HttpClient _admin = fixture.Node.Admin();
    private TestIdentityProvider Provider => fixture.Provider;

    private sealed record Org(string Id, string ClientId, string Secret);

    private async Task<Org> OrganisationAsync(TestUser? user = null, string plan = "enterprise")
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
                groupRoles = new Dictionary<string, string> { ["Planners"] = "admin" },
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

    private static Task<HttpResponseMessage> CallbackAsync(HttpClient browser, string pathAndQuery, bool json = false)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, pathAndQuery);
        if (json) request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        return browser.SendAsync(request);
    }

    private async Task<HttpResponseMessage> SignInAsync(string orgId, bool json = false)
    {
        var (browser, authorize) = await LoginAsync(orgId);
        return await CallbackAsync(browser, (await AuthorizeAsync(authorize)).PathAndQuery, json);
    }

    private async Task<HttpResponseMessage> BentAsync(string orgId, IdTokenBend bend)
    {
        Provider.Bend = bend;
        try
        {
            return await SignInAsync(orgId);
        }
        finally
        {
            Provider.Bend = null;
        }
    }

    [Fact]
    public async Task The_code_flow_signs_the_person_in_and_sends_the_browser_to_returnTo()
    {
        var org = await OrganisationAsync();
        var (browser, authorize) = await LoginAsync(org.Id, "/console/tasks?view=week");

        Assert.StartsWith($"{Provider.TenantIssuer(org.Id)}/authorize?", authorize.ToString());
        var query = QueryHelpers.ParseQuery(authorize.Query);
        Assert.Equal("code", query["response_type"].ToString());
        Assert.Equal(org.ClientId, query["client_id"].ToString());
        Assert.Equal($"https://localhost/oidc/{org.Id}/callback", query["redirect_uri"].ToString());
        Assert.Equal("S256", query["code_challenge_method"].ToString());
        Assert.Equal(43, query["code_challenge"].ToString().Length);
        Assert.False(string.IsNullOrEmpty(query["state"]));
        Assert.False(string.IsNullOrEmpty(query["nonce"]));
        Assert.Equal("openid email profile", query["scope"].ToString());

        var callback = await AuthorizeAsync(authorize);
        Assert.Equal($"/oidc/{org.Id}/callback", callback.AbsolutePath);
        var response = await CallbackAsync(browser, callback.PathAndQuery);

        Assert.Equal(HttpStatusCode.SeeOther, response.StatusCode);
        Assert.Equal("/console/tasks?view=week", response.Headers.Location!.OriginalString);
        var (identity, policy) = Assert.Single(fixture.SignIns.SignIns, s => s.Identity.OrgId == org.Id);
        Assert.Equal(("oidc", $"sub-{org.Id}", $"ann@{org.Id}.example", "Ann de Vries"), (identity.Method, identity.Subject, identity.Email, identity.DisplayName));
        Assert.Equal(["Staff", "Planners"], identity.Groups);
        Assert.Equal("admin", policy.GroupRoles["Planners"]);
        Assert.Equal(("member", true), (policy.DefaultRole, policy.JitProvisioning));

        var token = Assert.Single(Provider.TokenRequests, t => t.Tenant == org.Id);
        Assert.True(token.PkceValid, "the provider got a code_verifier that hashes to the code_challenge");
        Assert.Null(token.Error);
        Assert.Equal(org.Secret, token.Parameters["client_secret"]);
    }

    [Fact]
    public async Task A_client_that_accepts_json_gets_the_tokens()
    {
        var org = await OrganisationAsync();
        var response = await SignInAsync(org.Id, json: true);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var tokens = await response.ReadJsonAsync();
        Assert.Equal($"at-sub-{org.Id}", tokens["access_token"]!.GetValue<string>());
        Assert.Equal("Bearer", tokens["token_type"]!.GetValue<string>());
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

        var problem = await (await CallbackAsync(browser, tampered, json: true)).AssertProblemAsync(HttpStatusCode.BadRequest);

        Assert.Contains("does not belong to a sign-in this browser started", problem["detail"]!.GetValue<string>());
        Assert.Empty(fixture.SignIns.Of(org.Id));
    }

    [Fact]
    public async Task A_callback_without_the_browsers_correlation_cookie_is_refused()
    {
        var org = await OrganisationAsync();
        var (_, authorize) = await LoginAsync(org.Id);
        var callback = await AuthorizeAsync(authorize);

        var otherBrowser = fixture.Browser();
        await (await CallbackAsync(otherBrowser, callback.PathAndQuery)).AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.Empty(fixture.SignIns.Of(org.Id));
    }

    [Fact]
    public async Task A_replayed_callback_is_refused_and_signs_in_only_once()
    {
        var org = await OrganisationAsync();
        var (browser, authorize) = await LoginAsync(org.Id);
        var callback = (await AuthorizeAsync(authorize)).PathAndQuery;

        Assert.Equal(HttpStatusCode.SeeOther, (await CallbackAsync(browser, callback)).StatusCode);
        await (await CallbackAsync(browser, callback)).AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.Single(fixture.SignIns.Of(org.Id));
    }

    [Fact]
    public async Task An_id_token_with_another_nonce_is_refused()
    {
        var org = await OrganisationAsync();
        var response = await BentAsync(org.Id, new IdTokenBend(Nonce: "a-nonce-of-another-sign-in"));

        await response.AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.Empty(fixture.SignIns.Of(org.Id));
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
        Assert.Empty(fixture.SignIns.Of(org.Id));
    }

    [Fact]
    public async Task Access_denied_by_the_provider_is_a_403_that_says_so()
    {
        var org = await OrganisationAsync();
        var response = await BentAsync(org.Id, new IdTokenBend(Deny: true));

        var problem = await response.AssertProblemAsync(HttpStatusCode.Forbidden);
        Assert.Contains("access_denied", problem["detail"]!.GetValue<string>());
        Assert.Empty(fixture.SignIns.Of(org.Id));
        Assert.DoesNotContain(Provider.TokenRequests, t => t.Tenant == org.Id);
    }

    [Fact]
    public async Task An_email_the_provider_has_not_verified_signs_nobody_in()
    {
        var org = await OrganisationAsync(new TestUser("sub-unverified", "eve@example.com", EmailVerified: false));
        var problem = await (await SignInAsync(org.Id)).AssertProblemAsync(HttpStatusCode.Forbidden);

        Assert.Contains("not verified", problem["detail"]!.GetValue<string>());
        Assert.Empty(fixture.SignIns.Of(org.Id));
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
        Assert.Empty(fixture.SignIns.Of(b.Id));
        Assert.Empty(fixture.SignIns.Of(a.Id));
        // A's own callback still works, and signs in to A only.
        Assert.Equal(HttpStatusCode.SeeOther, (await CallbackAsync(browser, callback.PathAndQuery)).StatusCode);
        Assert.Single(fixture.SignIns.Of(a.Id));
        Assert.Empty(fixture.SignIns.Of(b.Id));
    }
}

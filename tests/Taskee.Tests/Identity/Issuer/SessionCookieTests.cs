using System.Net;
using Taskee.Tests.Infrastructure;

namespace Taskee.Tests.Identity.Issuer;

public sealed class SessionCookieTests(IssuerFixture fixture) : IClassFixture<IssuerFixture>
{
    private const string Csrf = "csrf-0123456789abcdef0123456789abcdef";

    private static HttpRequestMessage WithCookies(HttpMethod method, string path, string cookies, string? csrfHeader = null, HttpContent? content = null)
    {
        var request = new HttpRequestMessage(method, path) { Content = content };
        request.Headers.Add("Cookie", cookies);
        if (csrfHeader is not null) request.Headers.Add("X-CSRF-Token", csrfHeader);
        return request;
    }

    [Fact]
    public async Task The_session_cookie_authenticates_reads_and_unsafe_requests_need_the_CSRF_header()
    {
        var orgId = await fixture.OrganisationAsync();
        var other = await fixture.OrganisationAsync();
        var session = await fixture.SignedInAsync(orgId, "quinn@example.com", IssuerFixture.Policy(defaultRole: "admin"));
        var cookies = $"taskee_session={session.Tokens.AccessToken}; taskee_csrf={Csrf}";
        var client = fixture.Anonymous();

        Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(WithCookies(HttpMethod.Get, $"/v1/organisations/{orgId}", cookies))).StatusCode);
        await (await client.SendAsync(WithCookies(HttpMethod.Get, $"/v1/organisations/{other}", cookies))).AssertProblemAsync(HttpStatusCode.NotFound);

        var rename = () => TestApi.Json(new { name = "Renamed by cookie" });
        var noHeader = await (await client.SendAsync(WithCookies(HttpMethod.Patch, $"/v1/organisations/{orgId}", cookies, content: rename())))
            .AssertProblemAsync(HttpStatusCode.Forbidden);
        Assert.Contains("X-CSRF-Token", noHeader["detail"]!.GetValue<string>());
        await (await client.SendAsync(WithCookies(HttpMethod.Patch, $"/v1/organisations/{orgId}", cookies, "another-value", rename())))
            .AssertProblemAsync(HttpStatusCode.Forbidden);
        Assert.Equal($"Org {orgId}", (await fixture.Admin.GetJsonAsync($"/v1/organisations/{orgId}"))["name"]!.GetValue<string>());

        Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(WithCookies(HttpMethod.Patch, $"/v1/organisations/{orgId}", cookies, Csrf, rename()))).StatusCode);
        Assert.Equal("Renamed by cookie", (await fixture.Admin.GetJsonAsync($"/v1/organisations/{orgId}"))["name"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_garbage_session_cookie_is_a_401()
    {
        var orgId = await fixture.OrganisationAsync();
        await (await fixture.Anonymous().SendAsync(WithCookies(HttpMethod.Get, $"/v1/organisations/{orgId}", "taskee_session=not.a.token")))
            .AssertProblemAsync(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task The_refresh_cookie_renews_the_session_with_the_CSRF_header_and_sign_out_clears_it()
    {
        var orgId = await fixture.OrganisationAsync();
        var session = await fixture.SignedInAsync(orgId, "rae@example.com");
        var cookies = $"taskee_refresh={session.Tokens.RefreshToken}; taskee_csrf={Csrf}";
        var client = fixture.Anonymous();
        var form = () => new FormUrlEncodedContent(new Dictionary<string, string> { ["grant_type"] = "refresh_token" });

        await (await client.SendAsync(WithCookies(HttpMethod.Post, "/v1/auth/token", cookies, content: form()))).AssertProblemAsync(HttpStatusCode.Forbidden);

        var renewed = await client.SendAsync(WithCookies(HttpMethod.Post, "/v1/auth/token", cookies, Csrf, form()));
        Assert.Equal(HttpStatusCode.OK, renewed.StatusCode);
        var body = await renewed.ReadJsonAsync();
        Assert.Null(body["refresh_token"]); // it stays in its HttpOnly cookie
        var setCookies = renewed.Headers.GetValues("Set-Cookie").ToList();
        var newRefresh = setCookies.Single(c => c.StartsWith("taskee_refresh=", StringComparison.Ordinal)).Split(';')[0]["taskee_refresh=".Length..];
        Assert.NotEqual(session.Tokens.RefreshToken, newRefresh);
        Assert.Contains($"taskee_csrf={Csrf}", setCookies.Single(c => c.StartsWith("taskee_csrf=", StringComparison.Ordinal)));

        var signOut = await client.SendAsync(WithCookies(HttpMethod.Post, "/v1/auth/signout", $"taskee_refresh={newRefresh}; taskee_csrf={Csrf}", Csrf));
        Assert.Equal(HttpStatusCode.NoContent, signOut.StatusCode);
        Assert.Equal("invalid_grant", (await (await fixture.RefreshAsync(newRefresh)).AssertProblemAsync(HttpStatusCode.BadRequest))["error"]!.GetValue<string>());
    }
}

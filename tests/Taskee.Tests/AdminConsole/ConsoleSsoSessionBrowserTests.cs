using System.IO.Compression;
using System.Net;
using System.Text;
using System.Web;
using System.Xml;
using Microsoft.Playwright;
using Taskee.Tests.Identity.Saml;
using Taskee.Tests.Infrastructure;
using static Taskee.Tests.AdminConsole.ConsoleBrowserTests;

namespace Taskee.Tests.AdminConsole;

/// <summary>
/// A console signed in with SAML in Debian's Chromium, on a node whose clock the test moves: the page keeps working
/// past its first access token's end (it renews the token and sends the request again), and a session left idle for
/// <c>Console:IdleTimeout</c> asks for sign-in, its refresh token revoked.
/// </summary>
[Trait("Category", "Browser")]
public sealed class ConsoleSsoSessionBrowserTests
{
    private const string IdpHost = "https://idp.zorgnoord.example";

    [Fact]
    public async Task An_sso_session_is_renewed_while_in_use_and_ends_after_the_idle_timeout()
    {
        await using var database = await TestDatabase.CreateAsync();
        var clock = new ManualClock(DateTimeOffset.UtcNow);
        await using var node = new TaskeeNode(database, new Dictionary<string, string?>
        {
            ["Auth:Issuer:AccessTokenLifetime"] = "00:01:00",
            ["Console:IdleTimeout"] = "00:10:00",
        }, clock);
        var baseAddress = await HeadlessChromium.StartOnLoopbackAsync(node);
        var admin = node.Admin();
        var orgId = TestApi.NewOrgId("console");
        await admin.CreateOrganisationAsync(orgId, "enterprise");
        using var idp = new TestSamlIdp(IdpHost + "/saml");
        (await admin.PutAsync($"/v1/organisations/{orgId}/sso/saml", TestApi.Json(new
        {
            idpEntityId = idp.EntityId, idpSsoUrl = IdpHost + "/saml/sso", idpCertificates = new[] { idp.CertificatePem },
            rolesAttribute = "groups", groupRoles = new Dictionary<string, string> { ["Taskee Admins"] = "admin" },
        }))).EnsureSuccessStatusCode();
        var settings = await admin.GetJsonAsync($"/v1/organisations/{orgId}/sso/saml");
        var (acs, audience) = (settings["acsUrl"]!.GetValue<string>(), settings["spEntityId"]!.GetValue<string>());

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await HeadlessChromium.LaunchAsync(playwright);
        var (page, errors) = await OpenAsync(browser, baseAddress);
        // The identity provider: answers the AuthnRequest with a signed response the browser posts to the ACS.
        await page.RouteAsync(IdpHost + "/**", route => route.FulfillAsync(new RouteFulfillOptions
        {
            ContentType = "text/html",
            Body = IdpAnswer(idp, route.Request.Url, $"{baseAddress}/saml/{orgId}/acs", acs, audience),
        }));
        await page.FillAsync("#sso-org", orgId);
        await page.ClickAsync("#sso-form button[value='saml']");
        await Assertions.Expect(page.Locator("#menu")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#who")).ToContainTextAsync(orgId);
        await OpenPageAsync(page, "members");
        var firstToken = await CookieAsync(page, "taskee_session");

        // Past the first access token's end (1 minute and the 30 s clock skew), within the idle timeout: still working.
        clock.Set(clock.GetUtcNow().AddMinutes(2));
        await OpenPageAsync(page, "audit");
        await Assertions.Expect(page.Locator("#audit tbody")).ToContainTextAsync("auth.signed_in");
        await Assertions.Expect(page.Locator("#menu")).ToBeVisibleAsync();
        Assert.NotEqual(firstToken, await CookieAsync(page, "taskee_session"));
        clock.Set(clock.GetUtcNow().AddMinutes(4));
        await OpenPageAsync(page, "members");
        await Assertions.Expect(page.Locator("#members tbody")).ToContainTextAsync("@people.example");
        var refresh = await CookieAsync(page, "taskee_refresh");

        // Idle for longer than Console:IdleTimeout: renewal does not bring it back; the page asks for sign-in.
        clock.Set(clock.GetUtcNow().AddMinutes(11));
        await page.ClickAsync("#menu-audit");
        await Assertions.Expect(page.Locator("#signin")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#message")).ToContainTextAsync("Uw sessie is afgelopen");
        await Assertions.Expect(page.Locator("#menu")).ToBeHiddenAsync();
        Assert.Null(await CookieAsync(page, "taskee_refresh"));
        // Signing out on the way revoked the session: its last refresh token renews nothing any more.
        var reuse = await node.CreateClient().PostAsync("/v1/auth/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "refresh_token", ["refresh_token"] = refresh!,
        }));
        Assert.Equal(HttpStatusCode.BadRequest, reuse.StatusCode);
        // The browser logs each refused request itself (401); the page logs nothing of its own.
        Assert.All(errors, e => Assert.Contains("401", e));
    }

    /// <summary>An auto-submitting form with the signed answer to the AuthnRequest in <paramref name="url"/>.</summary>
    private static string IdpAnswer(TestSamlIdp idp, string url, string postTo, string acs, string audience)
    {
        var query = HttpUtility.ParseQueryString(new Uri(url).Query);
        using var inflate = new DeflateStream(new MemoryStream(Convert.FromBase64String(query["SAMLRequest"]!)), CompressionMode.Decompress);
        using var reader = new StreamReader(inflate, Encoding.UTF8);
        var request = new XmlDocument();
        request.LoadXml(reader.ReadToEnd());
        var response = idp.SignedAssertion(idp.Spec(acs, audience) with
        {
            InResponseTo = request.DocumentElement!.GetAttribute("ID"),
            NameId = "anna@people.example",
            Attributes = new Dictionary<string, string[]> { ["groups"] = ["Taskee Admins"] },
        });
        var relayState = WebUtility.HtmlEncode(query["RelayState"] ?? "");
        return $"""
            <!doctype html><html><body><form method="post" action="{WebUtility.HtmlEncode(postTo)}">
            <input type="hidden" name="SAMLResponse" value="{TestSamlIdp.Encode(response)}">
            <input type="hidden" name="RelayState" value="{relayState}"></form>
            <script>document.forms[0].submit()</script></body></html>
            """;
    }

    private static async Task<string?> CookieAsync(IPage page, string name) =>
        (await page.Context.CookiesAsync()).FirstOrDefault(c => c.Name == name)?.Value;

    private static async Task OpenPageAsync(IPage page, string name)
    {
        await page.ClickAsync("#menu-" + name);
        await Assertions.Expect(page.Locator("body")).ToHaveAttributeAsync("data-loaded", name);
    }
}

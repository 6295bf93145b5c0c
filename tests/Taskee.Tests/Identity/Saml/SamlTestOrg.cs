using System.IO.Compression;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using System.Web;
using System.Xml;
using Taskee.Tests.Infrastructure;

namespace Taskee.Tests.Identity.Saml;

/// <summary>An enterprise organisation with SAML sign-in set up against its own <see cref="TestSamlIdp"/>.</summary>
public sealed class SamlTestOrg : IDisposable
{
    public const string IdpSsoUrl = "https://idp.example.test/sso/saml";

    private readonly SamlNodeFixture _fixture;

    private SamlTestOrg(SamlNodeFixture fixture, string id, TestSamlIdp idp)
    {
        _fixture = fixture;
        Id = id;
        Idp = idp;
    }

    public string Id { get; }

    public TestSamlIdp Idp { get; }

    public string Acs => $"{SamlNodeFixture.BaseUrl}/saml/{Id}/acs";

    public string EntityId => $"{SamlNodeFixture.BaseUrl}/saml/{Id}";

    public static async Task<SamlTestOrg> CreateAsync(SamlNodeFixture fixture, bool allowIdpInitiated = true, object? extra = null)
    {
        var id = TestApi.NewOrgId("saml");
        var idp = new TestSamlIdp($"https://idp.example.test/{id}");
        var admin = fixture.Admin();
        await admin.CreateOrganisationAsync(id, "enterprise");
        var settings = new JsonObject
        {
            ["idpEntityId"] = idp.EntityId,
            ["idpSsoUrl"] = IdpSsoUrl,
            ["idpCertificates"] = new JsonArray(idp.CertificatePem),
            ["rolesAttribute"] = "groups",
            ["groupRoles"] = new JsonObject { ["Taskee Admins"] = "admin" },
            ["allowIdpInitiated"] = allowIdpInitiated,
        };
        foreach (var (key, value) in extra is null ? [] : JsonNode.Parse(System.Text.Json.JsonSerializer.Serialize(extra, System.Text.Json.JsonSerializerOptions.Web))!.AsObject())
            settings[key] = value?.DeepClone();
        var response = await admin.PutAsync($"/v1/organisations/{id}/sso/saml", TestApi.Json(settings.ToJsonString()));
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        return new SamlTestOrg(fixture, id, idp);
    }

    /// <summary>What a correct IdP would send this organisation (IdP-initiated unless <c>InResponseTo</c> is set).</summary>
    public SamlResponseSpec Spec() => Idp.Spec(Acs, EntityId);

    public Task<HttpResponseMessage> PostAsync(XmlDocument document, string? relayState = null, bool json = true) =>
        PostAsync(TestSamlIdp.Encode(document), relayState, json);

    public Task<HttpResponseMessage> PostAsync(string samlResponse, string? relayState = null, bool json = true) =>
        _fixture.Client(null, json).PostAsync($"/saml/{Id}/acs", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["SAMLResponse"] = samlResponse,
            ["RelayState"] = relayState ?? "",
        }));

    /// <summary>Starts an SP-initiated sign-in; returns the redirect and the AuthnRequest it carries, inflated.</summary>
    public async Task<(Uri Location, XmlDocument Request, string RelayState)> LoginAsync(string returnTo = "/console")
    {
        var response = await _fixture.Client(null, json: false).GetAsync($"/saml/{Id}/login?returnTo={Uri.EscapeDataString(returnTo)}");
        Assert.True(response.StatusCode is HttpStatusCode.Redirect or HttpStatusCode.SeeOther, $"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        var location = response.Headers.Location!;
        var query = HttpUtility.ParseQueryString(location.Query);
        using var inflate = new DeflateStream(new MemoryStream(Convert.FromBase64String(query["SAMLRequest"]!)), CompressionMode.Decompress);
        using var reader = new StreamReader(inflate, Encoding.UTF8);
        var request = new XmlDocument();
        request.LoadXml(await reader.ReadToEndAsync());
        return (location, request, query["RelayState"]!);
    }

    /// <summary>Asserts a 4xx problem whose detail names the reason, and that nothing was provisioned: no member, no sign-in.</summary>
    public async Task AssertRefusedAsync(HttpResponseMessage response, string reason)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True((int)response.StatusCode is >= 400 and < 500, $"expected a 4xx, got {(int)response.StatusCode}: {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains(reason, JsonNode.Parse(body)!["detail"]!.GetValue<string>(), StringComparison.OrdinalIgnoreCase);
        await AssertNothingProvisionedAsync();
    }

    public async Task AssertNothingProvisionedAsync()
    {
        Assert.Empty(await _fixture.MembersAsync(Id));
        Assert.Empty(await _fixture.SignInsAsync(Id));
    }

    /// <summary>The one <c>auth.signed_in</c> audit event of this organisation: who signed in, with what, as which roles.</summary>
    public async Task<JsonNode> SingleSignInAsync() => Assert.Single(await _fixture.SignInsAsync(Id))["after"]!;

    public void Dispose() => Idp.Dispose();
}

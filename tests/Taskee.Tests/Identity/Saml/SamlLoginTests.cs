using System.Net;
using System.Web;
using System.Xml;
using Taskee.Tests.Infrastructure;

namespace Taskee.Tests.Identity.Saml;

/// <summary>SP metadata and SP-initiated sign-in: the AuthnRequest sent, its id remembered and usable once.</summary>
public sealed class SamlLoginTests(SamlNodeFixture fixture) : IClassFixture<SamlNodeFixture>
{
    private const string Md = "urn:oasis:names:tc:SAML:2.0:metadata";

    [Theory]
    [InlineData("/metadata")]
    [InlineData("")]
    public async Task The_sp_metadata_is_well_formed_xml_naming_the_entity_id_and_the_acs(string path)
    {
        using var org = await SamlTestOrg.CreateAsync(fixture);

        var response = await fixture.Client(null, json: false).GetAsync($"/saml/{org.Id}{path}");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/samlmetadata+xml", response.Content.Headers.ContentType?.MediaType);
        var metadata = new XmlDocument();
        metadata.LoadXml(await response.Content.ReadAsStringAsync());
        Assert.Equal(org.EntityId, metadata.DocumentElement!.GetAttribute("entityID"));
        var descriptor = (XmlElement)metadata.GetElementsByTagName("SPSSODescriptor", Md)[0]!;
        Assert.Equal("true", descriptor.GetAttribute("WantAssertionsSigned"));
        var acs = (XmlElement)metadata.GetElementsByTagName("AssertionConsumerService", Md)[0]!;
        Assert.Equal(org.Acs, acs.GetAttribute("Location"));
        Assert.Equal("urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST", acs.GetAttribute("Binding"));
        Assert.Contains(metadata.GetElementsByTagName("NameIDFormat", Md).OfType<XmlElement>(),
            f => f.InnerText == "urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress");
    }

    [Fact]
    public async Task Metadata_of_an_organisation_without_saml_is_a_404()
    {
        var id = TestApi.NewOrgId("saml");
        await fixture.Admin().CreateOrganisationAsync(id, "enterprise");

        await (await fixture.Client(null).GetAsync($"/saml/{id}/metadata")).AssertProblemAsync(HttpStatusCode.NotFound);
        await (await fixture.Client(null).GetAsync($"/saml/no-such-org/metadata")).AssertProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Login_redirects_to_the_idp_with_a_deflated_authn_request_for_this_acs()
    {
        using var org = await SamlTestOrg.CreateAsync(fixture);

        var (location, request, relayState) = await org.LoginAsync("/console/boards?tab=2");

        Assert.StartsWith(SamlTestOrg.IdpSsoUrl + "?SAMLRequest=", location.AbsoluteUri, StringComparison.Ordinal);
        var authn = request.DocumentElement!;
        Assert.Equal(("AuthnRequest", "urn:oasis:names:tc:SAML:2.0:protocol"), (authn.LocalName, authn.NamespaceURI));
        Assert.Equal(SamlTestOrg.IdpSsoUrl, authn.GetAttribute("Destination"));
        Assert.Equal(org.Acs, authn.GetAttribute("AssertionConsumerServiceURL"));
        Assert.Equal(org.EntityId, authn.GetElementsByTagName("Issuer", TestSamlIdp.Saml)[0]!.InnerText);
        Assert.Matches("^_[0-9a-f]{32}$", authn.GetAttribute("ID"));
        Assert.Equal(authn.GetAttribute("ID"), relayState);
    }

    [Fact]
    public async Task The_answer_to_a_remembered_request_signs_in_and_returns_to_the_page_asked_for()
    {
        using var org = await SamlTestOrg.CreateAsync(fixture, allowIdpInitiated: false);
        var (_, request, relayState) = await org.LoginAsync("/console/boards?tab=2");
        var spec = org.Spec() with { InResponseTo = request.DocumentElement!.GetAttribute("ID") };

        var response = await org.PostAsync(org.Idp.SignedAssertion(spec), relayState, json: false);

        Assert.Equal(HttpStatusCode.SeeOther, response.StatusCode);
        Assert.Equal("/console/boards?tab=2", response.Headers.Location!.OriginalString);
        Assert.Contains(response.Headers.GetValues("Set-Cookie"), c => c.StartsWith("taskee_session=", StringComparison.Ordinal));
        Assert.Single(await fixture.SignInsAsync(org.Id));
    }

    [Fact]
    public async Task A_request_id_answers_once_a_second_assertion_for_it_is_refused()
    {
        using var org = await SamlTestOrg.CreateAsync(fixture, allowIdpInitiated: false);
        var (_, request, _) = await org.LoginAsync();
        var requestId = request.DocumentElement!.GetAttribute("ID");
        Assert.Equal(HttpStatusCode.OK, (await org.PostAsync(org.Idp.SignedAssertion(org.Spec() with { InResponseTo = requestId }))).StatusCode);

        var second = await org.PostAsync(org.Idp.SignedAssertion(org.Spec() with { InResponseTo = requestId }));

        Assert.Equal(HttpStatusCode.Forbidden, second.StatusCode);
        Assert.Contains("InResponseTo", (await second.ReadJsonAsync())["detail"]!.GetValue<string>());
        Assert.Single(await fixture.SignInsAsync(org.Id));
    }

    [Fact]
    public async Task A_request_of_organisation_a_cannot_be_answered_at_organisation_b()
    {
        using var a = await SamlTestOrg.CreateAsync(fixture, allowIdpInitiated: false);
        using var b = await SamlTestOrg.CreateAsync(fixture, allowIdpInitiated: false);
        var (_, request, _) = await a.LoginAsync();

        var response = await b.PostAsync(b.Idp.SignedAssertion(b.Spec() with { InResponseTo = request.DocumentElement!.GetAttribute("ID") }));

        await b.AssertRefusedAsync(response, "InResponseTo");
    }

    [Theory]
    [InlineData("https://evil.example/")]
    [InlineData("//evil.example/")]
    [InlineData("/\\evil.example")]
    public async Task Login_with_a_return_to_on_another_site_is_a_400(string returnTo)
    {
        using var org = await SamlTestOrg.CreateAsync(fixture);

        var response = await fixture.Client(null).GetAsync($"/saml/{org.Id}/login?returnTo={HttpUtility.UrlEncode(returnTo)}");

        await response.AssertProblemAsync(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task A_request_remembered_by_one_node_is_answered_at_another_node_on_the_same_database()
    {
        using var org = await SamlTestOrg.CreateAsync(fixture, allowIdpInitiated: false);
        var (_, request, relayState) = await org.LoginAsync("/console");
        await using var other = await new TaskeeNode(fixture.Database, SamlNodeFixture.Settings()).StartAsync();
        var spec = org.Spec() with { InResponseTo = request.DocumentElement!.GetAttribute("ID") };

        var response = await SamlNodeFixture.Client(other, null, json: false).PostAsync($"/saml/{org.Id}/acs",
            new FormUrlEncodedContent(new Dictionary<string, string> { ["SAMLResponse"] = TestSamlIdp.Encode(org.Idp.SignedAssertion(spec)), ["RelayState"] = relayState }));

        Assert.Equal(HttpStatusCode.SeeOther, response.StatusCode);
        Assert.Equal("/console", response.Headers.Location!.OriginalString);
        Assert.Single(await fixture.MembersAsync(org.Id));
    }
}

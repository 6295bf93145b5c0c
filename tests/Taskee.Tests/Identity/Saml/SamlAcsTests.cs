using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.Xml;
using System.Xml;
using Taskee.Api.Identity.Issuer;
using Taskee.Tests.Infrastructure;

namespace Taskee.Tests.Identity.Saml;

/// <summary>
/// The assertion consumer service against the attacks SAML service providers fell to. Each attack starts from a
/// response that is accepted as it is (the first tests), changes one thing, and must be refused with its reason,
/// with nothing provisioned: no member, no seat, no <c>auth.signed_in</c>.
/// </summary>
public sealed class SamlAcsTests(SamlNodeFixture fixture) : IClassFixture<SamlNodeFixture>
{
    private Task<SamlTestOrg> OrgAsync(bool allowIdpInitiated = true) => SamlTestOrg.CreateAsync(fixture, allowIdpInitiated);

    [Fact]
    public async Task A_signed_assertion_provisions_the_member_with_the_mapped_role_and_its_token_works_on_its_organisation_only()
    {
        using var org = await OrgAsync();
        var other = TestApi.NewOrgId("saml");
        await fixture.Admin().CreateOrganisationAsync(other, "enterprise");
        var spec = org.Spec() with { Attributes = new Dictionary<string, string[]> { ["groups"] = ["Everyone", "Taskee Admins"] } };

        var response = await org.PostAsync(org.Idp.SignedAssertion(spec), relayState: "/console/boards");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var tokens = await response.ReadJsonAsync();
        Assert.Equal("Bearer", tokens["token_type"]!.GetValue<string>());
        Assert.StartsWith("tkr_", tokens["refresh_token"]!.GetValue<string>(), StringComparison.Ordinal);
        var member = Assert.Single(await fixture.MembersAsync(org.Id));
        Assert.Equal((spec.NameId, "admin"), (member["email"]!.GetValue<string>(), member["role"]!.GetValue<string>()));
        Assert.Equal(1, await fixture.SeatsUsedAsync(org.Id));
        var signIn = await org.SingleSignInAsync();
        Assert.Equal(("saml", spec.NameId, spec.NameId), (signIn["method"]!.GetValue<string>(), signIn["subject"]!.GetValue<string>(), signIn["email"]!.GetValue<string>()));

        var bearer = fixture.Client(null);
        bearer.DefaultRequestHeaders.Authorization = new("Bearer", tokens["access_token"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.OK, (await bearer.GetAsync($"/v1/organisations/{org.Id}")).StatusCode);
        await (await bearer.GetAsync($"/v1/organisations/{other}")).AssertProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task A_browser_gets_a_303_to_the_relay_state_with_a_session_cookie_that_works()
    {
        using var org = await OrgAsync();

        var response = await org.PostAsync(org.Idp.SignedResponse(org.Spec()), relayState: "/console", json: false);

        Assert.Equal(HttpStatusCode.SeeOther, response.StatusCode);
        Assert.Equal("/console", response.Headers.Location!.OriginalString);
        var cookies = response.Headers.GetValues("Set-Cookie").ToList();
        var session = Assert.Single(cookies, c => c.StartsWith(SessionCookies.Session + "=", StringComparison.Ordinal));
        Assert.Contains("httponly", session, StringComparison.OrdinalIgnoreCase);
        // The node is reached over plain HTTP here, as behind a proxy that ends TLS; its public address is https.
        Assert.Equal("http", fixture.Client(null).BaseAddress!.Scheme);
        Assert.All(cookies, c => Assert.Contains("secure", c, StringComparison.OrdinalIgnoreCase));
        Assert.Contains(cookies, c => c.StartsWith(SessionCookies.Refresh + "=", StringComparison.Ordinal));
        Assert.Contains(cookies, c => c.StartsWith(SessionCookies.Csrf + "=", StringComparison.Ordinal));
        Assert.Equal("member", Assert.Single(await fixture.MembersAsync(org.Id))["role"]!.GetValue<string>());

        var browser = fixture.Client(null);
        browser.DefaultRequestHeaders.Add("Cookie", session.Split(';')[0]);
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync($"/v1/organisations/{org.Id}")).StatusCode);
    }

    [Fact]
    public async Task The_cross_site_form_post_of_the_idp_needs_no_csrf_header_even_with_stale_taskee_cookies()
    {
        using var org = await OrgAsync();
        var post = new HttpRequestMessage(HttpMethod.Post, $"/saml/{org.Id}/acs")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["SAMLResponse"] = TestSamlIdp.Encode(org.Idp.SignedAssertion(org.Spec())), ["RelayState"] = "/console",
            }),
        };
        // What the IdP's auto-submitting page sends: another origin, no X-CSRF-Token, and cookies of an older session.
        post.Headers.Add("Origin", "https://idp.example.test");
        post.Headers.Add("Sec-Fetch-Site", "cross-site");
        post.Headers.Add("Cookie", $"{SessionCookies.Session}=expired.or.forged; {SessionCookies.Refresh}=tkr_stale; {SessionCookies.Csrf}=old");

        var response = await fixture.Client(null, json: false).SendAsync(post);

        Assert.Equal(HttpStatusCode.SeeOther, response.StatusCode);
        Assert.Equal("/console", response.Headers.Location!.OriginalString);
        Assert.Single(await fixture.MembersAsync(org.Id));
    }

    [Fact]
    public async Task The_email_comes_from_the_configured_attribute_when_the_nameid_is_an_opaque_id()
    {
        using var org = await SamlTestOrg.CreateAsync(fixture, extra: new { emailAttribute = "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress" });
        var spec = org.Spec() with
        {
            NameId = "00u1abcd", NameIdFormat = "urn:oasis:names:tc:SAML:2.0:nameid-format:persistent",
            Attributes = new Dictionary<string, string[]> { ["http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress"] = ["ada@people.example"] },
        };

        Assert.Equal(HttpStatusCode.OK, (await org.PostAsync(org.Idp.SignedAssertion(spec))).StatusCode);

        Assert.Equal("ada@people.example", Assert.Single(await fixture.MembersAsync(org.Id))["email"]!.GetValue<string>());
        var signIn = await org.SingleSignInAsync();
        Assert.Equal(("00u1abcd", "ada@people.example"), (signIn["subject"]!.GetValue<string>(), signIn["email"]!.GetValue<string>()));
    }

    [Fact]
    public async Task An_opaque_nameid_without_an_email_attribute_is_refused()
    {
        using var org = await OrgAsync();
        var spec = org.Spec() with { NameId = "00u1abcd", NameIdFormat = "urn:oasis:names:tc:SAML:2.0:nameid-format:persistent" };

        await org.AssertRefusedAsync(await org.PostAsync(org.Idp.SignedAssertion(spec)), "not an e-mail address");
    }

    [Fact]
    public async Task An_unsigned_response_is_refused()
    {
        using var org = await OrgAsync();

        await org.AssertRefusedAsync(await org.PostAsync(TestSamlIdp.Build(org.Spec())), "not signed");
    }

    [Fact]
    public async Task A_nameid_changed_after_signing_is_refused()
    {
        using var org = await OrgAsync();
        var document = org.Idp.SignedAssertion(org.Spec());
        TestSamlIdp.NameId(TestSamlIdp.Assertion(document)).InnerText = "ceo@victim.example";

        await org.AssertRefusedAsync(await org.PostAsync(document), "does not verify");
    }

    [Fact]
    public async Task A_response_signed_with_another_key_is_refused_even_with_its_certificate_in_keyinfo()
    {
        using var org = await OrgAsync();
        using var attacker = new TestSamlIdp(org.Idp.EntityId);

        await org.AssertRefusedAsync(await org.PostAsync(attacker.SignedAssertion(org.Spec())), "does not verify");
    }

    [Fact]
    public async Task A_response_signed_with_rsa_sha1_is_refused()
    {
        using var org = await OrgAsync();
        var document = TestSamlIdp.Build(org.Spec());
        TestSamlIdp.Sign(TestSamlIdp.Assertion(document), org.Idp.Key, org.Idp.Certificate, SignedXml.XmlDsigRSASHA1Url, SignedXml.XmlDsigSHA1Url);

        await org.AssertRefusedAsync(await org.PostAsync(document), "SHA-1");
    }

    [Fact]
    public async Task A_sha256_signature_over_a_sha1_digest_is_refused()
    {
        using var org = await OrgAsync();
        var document = TestSamlIdp.Build(org.Spec());
        TestSamlIdp.Sign(TestSamlIdp.Assertion(document), org.Idp.Key, org.Idp.Certificate, SignedXml.XmlDsigRSASHA256Url, SignedXml.XmlDsigSHA1Url);

        await org.AssertRefusedAsync(await org.PostAsync(document), "digest algorithm");
    }

    [Fact]
    public async Task XSW_an_evil_assertion_before_the_signed_one_is_refused()
    {
        using var org = await OrgAsync();
        var document = org.Idp.SignedAssertion(org.Spec());
        var signed = TestSamlIdp.Assertion(document);
        document.DocumentElement!.InsertBefore(EvilCopy(signed), signed);

        await org.AssertRefusedAsync(await org.PostAsync(document), "2 Assertion elements");
    }

    [Fact]
    public async Task XSW_an_evil_assertion_after_the_signed_one_is_refused()
    {
        using var org = await OrgAsync();
        var document = org.Idp.SignedAssertion(org.Spec());
        var signed = TestSamlIdp.Assertion(document);
        document.DocumentElement!.InsertAfter(EvilCopy(signed), signed);

        await org.AssertRefusedAsync(await org.PostAsync(document), "2 Assertion elements");
    }

    [Fact]
    public async Task XSW_an_evil_assertion_wrapping_the_signed_one_is_refused()
    {
        using var org = await OrgAsync();
        var document = org.Idp.SignedAssertion(org.Spec());
        var signed = TestSamlIdp.Assertion(document);
        var evil = EvilCopy(signed);
        var advice = document.CreateElement("saml", "Advice", TestSamlIdp.Saml);
        evil.AppendChild(advice);
        document.DocumentElement!.ReplaceChild(evil, signed);
        advice.AppendChild(signed);

        await org.AssertRefusedAsync(await org.PostAsync(document), "2 Assertion elements");
    }

    [Fact]
    public async Task XSW_the_signature_moved_into_a_ds_object_of_an_evil_assertion_is_refused()
    {
        using var org = await OrgAsync();
        var document = org.Idp.SignedAssertion(org.Spec());
        var signed = TestSamlIdp.Assertion(document);
        var signature = signed.GetElementsByTagName("Signature", SignedXml.XmlDsigNamespaceUrl).OfType<XmlElement>().Single();
        var evil = EvilCopy(signed);
        document.DocumentElement!.ReplaceChild(evil, signed);
        signed.RemoveChild(signature);
        var dsObject = document.CreateElement("ds", "Object", SignedXml.XmlDsigNamespaceUrl);
        dsObject.AppendChild(signed);
        signature.AppendChild(dsObject);
        evil.InsertAfter(signature, evil.FirstChild);

        await org.AssertRefusedAsync(await org.PostAsync(document), "2 Assertion elements");
    }

    [Fact]
    public async Task XSW_a_signed_response_whose_assertion_was_swapped_is_refused()
    {
        using var org = await OrgAsync();
        var document = org.Idp.SignedResponse(org.Spec());
        var signed = TestSamlIdp.Assertion(document);
        TestSamlIdp.NameId(signed).InnerText = "ceo@victim.example";

        await org.AssertRefusedAsync(await org.PostAsync(document), "does not verify");
    }

    [Fact]
    public async Task An_id_carried_by_two_elements_is_refused()
    {
        using var org = await OrgAsync();
        var document = org.Idp.SignedAssertion(org.Spec());
        var signed = TestSamlIdp.Assertion(document);
        var extensions = document.CreateElement("samlp", "Extensions", TestSamlIdp.Samlp);
        extensions.SetAttribute("ID", signed.GetAttribute("ID"));
        document.DocumentElement!.InsertBefore(extensions, signed);

        await org.AssertRefusedAsync(await org.PostAsync(document), "not unique");
    }

    [Fact]
    public async Task A_signature_whose_reference_points_elsewhere_than_the_element_it_sits_on_is_refused()
    {
        using var org = await OrgAsync();
        var document = TestSamlIdp.Build(org.Spec());
        // A valid signature of the Response, placed in the Assertion: it proves nothing about the Assertion alone.
        var signature = TestSamlIdp.Sign(document.DocumentElement!, org.Idp.Key, org.Idp.Certificate);
        var assertion = TestSamlIdp.Assertion(document);
        assertion.InsertAfter(signature, assertion.FirstChild);

        await org.AssertRefusedAsync(await org.PostAsync(document), "does not point to the element it sits on");
    }

    [Fact]
    public async Task Two_assertions_both_signed_are_refused()
    {
        using var org = await OrgAsync();
        var document = org.Idp.SignedAssertion(org.Spec());
        var second = org.Idp.SignedAssertion(org.Spec());
        document.DocumentElement!.AppendChild(document.ImportNode(TestSamlIdp.Assertion(second), true));

        await org.AssertRefusedAsync(await org.PostAsync(document), "2 Assertion elements");
    }

    [Fact]
    public async Task An_encrypted_assertion_is_refused_as_unsupported()
    {
        using var org = await OrgAsync();
        var document = TestSamlIdp.Build(org.Spec());
        var assertion = TestSamlIdp.Assertion(document);
        var encrypted = document.CreateElement("saml", "EncryptedAssertion", TestSamlIdp.Saml);
        encrypted.InnerXml = "<xenc:EncryptedData xmlns:xenc=\"http://www.w3.org/2001/04/xmlenc#\"/>";
        document.DocumentElement!.ReplaceChild(encrypted, assertion);

        await org.AssertRefusedAsync(await org.PostAsync(document), "encrypted assertions are not supported");
    }

    [Fact]
    public async Task An_expired_assertion_is_refused()
    {
        using var org = await OrgAsync();
        var spec = org.Spec() with { NotBefore = DateTimeOffset.UtcNow.AddMinutes(-10), NotOnOrAfter = DateTimeOffset.UtcNow.AddSeconds(-61) };

        await org.AssertRefusedAsync(await org.PostAsync(org.Idp.SignedAssertion(spec)), "expired");
    }

    [Fact]
    public async Task An_assertion_expired_within_the_60_second_skew_is_accepted()
    {
        using var org = await OrgAsync();
        var spec = org.Spec() with { NotBefore = DateTimeOffset.UtcNow.AddMinutes(-10), NotOnOrAfter = DateTimeOffset.UtcNow.AddSeconds(-30) };

        Assert.Equal(HttpStatusCode.OK, (await org.PostAsync(org.Idp.SignedAssertion(spec))).StatusCode);
    }

    [Fact]
    public async Task An_assertion_not_yet_valid_is_refused()
    {
        using var org = await OrgAsync();
        var spec = org.Spec() with { NotBefore = DateTimeOffset.UtcNow.AddMinutes(5), NotOnOrAfter = DateTimeOffset.UtcNow.AddMinutes(10) };

        await org.AssertRefusedAsync(await org.PostAsync(org.Idp.SignedAssertion(spec)), "not valid yet");
    }

    [Fact]
    public async Task An_assertion_for_another_audience_is_refused()
    {
        using var org = await OrgAsync();
        var spec = org.Spec() with { Audience = "https://other-sp.example/saml" };

        await org.AssertRefusedAsync(await org.PostAsync(org.Idp.SignedAssertion(spec)), "Audience");
    }

    [Fact]
    public async Task A_response_for_another_destination_is_refused()
    {
        using var org = await OrgAsync();
        var spec = org.Spec() with { Destination = "https://other-sp.example/acs" };

        await org.AssertRefusedAsync(await org.PostAsync(org.Idp.SignedResponse(spec)), "Destination");
    }

    [Fact]
    public async Task An_assertion_for_another_recipient_is_refused()
    {
        using var org = await OrgAsync();
        var spec = org.Spec() with { Recipient = "https://other-sp.example/acs" };

        await org.AssertRefusedAsync(await org.PostAsync(org.Idp.SignedAssertion(spec)), "Recipient");
    }

    [Fact]
    public async Task A_response_from_another_issuer_is_refused()
    {
        using var org = await OrgAsync();
        var spec = org.Spec() with { Issuer = "https://other-idp.example" };

        await org.AssertRefusedAsync(await org.PostAsync(org.Idp.SignedAssertion(spec)), "Issuer");
    }

    [Fact]
    public async Task A_response_whose_status_is_not_success_is_refused()
    {
        using var org = await OrgAsync();
        var spec = org.Spec() with { Status = "urn:oasis:names:tc:SAML:2.0:status:Requester" };

        await org.AssertRefusedAsync(await org.PostAsync(org.Idp.SignedResponse(spec)), "not Success");
    }

    [Fact]
    public async Task A_replayed_assertion_is_refused_the_second_time()
    {
        using var org = await OrgAsync();
        var document = org.Idp.SignedAssertion(org.Spec());
        Assert.Equal(HttpStatusCode.OK, (await org.PostAsync(document)).StatusCode);

        var replay = await org.PostAsync(document);

        Assert.Equal(HttpStatusCode.Forbidden, replay.StatusCode);
        Assert.Contains("used before", (await replay.ReadJsonAsync())["detail"]!.GetValue<string>());
        Assert.Single(await fixture.SignInsAsync(org.Id));
        Assert.Single(await fixture.MembersAsync(org.Id));
    }

    [Fact]
    public async Task An_idp_initiated_response_is_refused_when_the_organisation_does_not_allow_it()
    {
        using var org = await OrgAsync(allowIdpInitiated: false);

        await org.AssertRefusedAsync(await org.PostAsync(org.Idp.SignedAssertion(org.Spec())), "IdP-initiated");
    }

    [Fact]
    public async Task An_idp_initiated_relay_state_that_points_to_another_site_falls_back_to_the_root()
    {
        using var org = await OrgAsync();

        var response = await org.PostAsync(org.Idp.SignedAssertion(org.Spec()), relayState: "//evil.example/phish", json: false);

        Assert.Equal(HttpStatusCode.SeeOther, response.StatusCode);
        Assert.Equal("/", response.Headers.Location!.OriginalString);
    }

    [Fact]
    public async Task A_response_to_an_unknown_request_is_refused()
    {
        using var org = await OrgAsync(allowIdpInitiated: false);
        var spec = org.Spec() with { InResponseTo = "_" + Guid.NewGuid().ToString("N") };

        await org.AssertRefusedAsync(await org.PostAsync(org.Idp.SignedAssertion(spec)), "InResponseTo");
    }

    [Fact]
    public async Task A_dtd_with_an_external_entity_is_refused_by_the_parser()
    {
        using var org = await OrgAsync();
        var xml = TestSamlIdp.Build(org.Spec() with { NameId = "&xxe;" }).OuterXml.Replace("&amp;xxe;", "&xxe;", StringComparison.Ordinal);
        var payload = """<?xml version="1.0"?><!DOCTYPE r [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>""" + xml;

        await org.AssertRefusedAsync(await org.PostAsync(TestSamlIdp.Encode(payload)), "DTD");
    }

    [Fact]
    public async Task An_entity_expansion_bomb_is_refused_by_the_parser()
    {
        using var org = await OrgAsync();
        var payload = """<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]><r>&b;</r>""";

        await org.AssertRefusedAsync(await org.PostAsync(TestSamlIdp.Encode(payload)), "DTD");
    }

    [Theory]
    [InlineData("not base64 at all!!", "not base64")]
    [InlineData("PGZvbz4=", "not acceptable XML")] // "<foo>": base64 of broken XML
    [InlineData("PGZvby8+", "not a SAML 2.0 Response")] // "<foo/>": well formed, not SAML
    public async Task Garbage_in_the_form_is_a_400_not_a_500(string samlResponse, string reason)
    {
        using var org = await OrgAsync();

        var response = await org.PostAsync(samlResponse);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        await org.AssertRefusedAsync(response, reason);
    }

    [Fact]
    public async Task A_signature_element_that_is_not_a_signature_is_a_4xx_not_a_500()
    {
        using var org = await OrgAsync();
        var document = TestSamlIdp.Build(org.Spec());
        var assertion = TestSamlIdp.Assertion(document);
        var signature = document.CreateElement("ds", "Signature", SignedXml.XmlDsigNamespaceUrl);
        signature.InnerXml = "<ds:SignedInfo xmlns:ds=\"http://www.w3.org/2000/09/xmldsig#\"><ds:Garbage/></ds:SignedInfo>";
        assertion.InsertAfter(signature, assertion.FirstChild);

        await org.AssertRefusedAsync(await org.PostAsync(document), "signature");
    }

    [Fact]
    public async Task A_post_without_a_saml_response_is_a_400()
    {
        using var org = await OrgAsync();

        var response = await fixture.Client(null).PostAsync($"/saml/{org.Id}/acs", new FormUrlEncodedContent(new Dictionary<string, string> { ["x"] = "y" }));

        await org.AssertRefusedAsync(response, "no SAMLResponse");
    }

    [Fact]
    public async Task A_refusal_in_a_browser_is_a_short_html_page_not_a_stack_trace()
    {
        using var org = await OrgAsync();

        var response = await org.PostAsync(TestSamlIdp.Build(org.Spec()), json: false);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        var page = await response.Content.ReadAsStringAsync();
        Assert.Contains("not signed", page, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_assertion_signed_by_organisation_a_s_idp_is_refused_at_organisation_b_s_acs()
    {
        using var a = await OrgAsync();
        using var b = await OrgAsync();
        // Addressed to B in every field, but signed by A's IdP: B pins its own IdP's certificate only.
        await b.AssertRefusedAsync(await b.PostAsync(a.Idp.SignedAssertion(b.Spec())), "does not verify");
        // A's genuine assertion, addressed to A, posted to B.
        await b.AssertRefusedAsync(await b.PostAsync(a.Idp.SignedAssertion(a.Spec())), "does not verify");
        await a.AssertNothingProvisionedAsync();
    }

    /// <summary>A copy of the signed assertion with another ID and NameID and no signature: what an attacker wants read.</summary>
    private static XmlElement EvilCopy(XmlElement signed)
    {
        var evil = (XmlElement)signed.CloneNode(true);
        evil.SetAttribute("ID", SamlResponseSpec.NewId());
        foreach (var signature in evil.GetElementsByTagName("Signature", SignedXml.XmlDsigNamespaceUrl).OfType<XmlElement>().ToList())
            signature.ParentNode!.RemoveChild(signature);
        TestSamlIdp.NameId(evil).InnerText = "ceo@victim.example";
        return evil;
    }
}

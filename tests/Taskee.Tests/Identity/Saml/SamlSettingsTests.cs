using System.Net;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Taskee.Tests.Infrastructure;

namespace Taskee.Tests.Identity.Saml;

public sealed class SamlSettingsTests(SamlNodeFixture fixture) : IClassFixture<SamlNodeFixture>
{
    private readonly HttpClient _admin = fixture.Admin();

    private static JsonObject Settings(TestSamlIdp idp) => new()
    {
        ["idpEntityId"] = idp.EntityId,
        ["idpSsoUrl"] = SamlTestOrg.IdpSsoUrl,
        ["idpCertificates"] = new JsonArray(idp.CertificatePem),
        ["emailAttribute"] = "email",
        ["rolesAttribute"] = "groups",
        ["groupRoles"] = new JsonObject { ["Finance"] = "billing", ["IT"] = "admin" },
    };

    [Fact]
    public async Task Saml_settings_put_are_read_back_with_this_sp_s_urls_and_each_certificate_s_thumbprint_and_expiry()
    {
        var id = TestApi.NewOrgId("saml");
        await _admin.CreateOrganisationAsync(id, "enterprise");
        using var idp = new TestSamlIdp("https://idp.example.test/x");
        using var next = new TestSamlIdp("https://idp.example.test/x");
        var body = Settings(idp);
        body["idpCertificates"] = new JsonArray(idp.CertificatePem, next.CertificatePem);

        (await _admin.PutAsync($"/v1/organisations/{id}/sso/saml", TestApi.Json(body.ToJsonString()))).EnsureSuccessStatusCode();
        var read = await _admin.GetJsonAsync($"/v1/organisations/{id}/sso/saml");

        Assert.Equal(idp.EntityId, read["idpEntityId"]!.GetValue<string>());
        Assert.Equal("member", read["defaultRole"]!.GetValue<string>());
        Assert.False(read["allowIdpInitiated"]!.GetValue<bool>());
        Assert.True(read["jitProvisioning"]!.GetValue<bool>());
        Assert.Equal($"{SamlNodeFixture.BaseUrl}/saml/{id}", read["spEntityId"]!.GetValue<string>());
        Assert.Equal($"{SamlNodeFixture.BaseUrl}/saml/{id}/acs", read["acsUrl"]!.GetValue<string>());
        Assert.Equal($"{SamlNodeFixture.BaseUrl}/saml/{id}/metadata", read["metadataUrl"]!.GetValue<string>());
        var certificates = read["certificates"]!.AsArray();
        Assert.Equal(2, certificates.Count);
        Assert.Equal(idp.Certificate.GetCertHashString(HashAlgorithmName.SHA256), certificates[0]!["thumbprint"]!.GetValue<string>());
        Assert.Equal(next.Certificate.NotAfter.ToUniversalTime(), certificates[1]!["notAfter"]!.GetValue<DateTimeOffset>().UtcDateTime, TimeSpan.FromSeconds(1));
        var audit = (await _admin.AuditEventsAsync(id)).Last();
        Assert.Equal("sso.saml.configured", audit["action"]!.GetValue<string>());
        Assert.DoesNotContain("BEGIN CERTIFICATE", audit.ToJsonString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Saml_settings_read_with_get_can_be_put_back_unchanged_without_a_new_audit_event()
    {
        using var org = await SamlTestOrg.CreateAsync(fixture);
        var read = await _admin.GetJsonAsync($"/v1/organisations/{org.Id}/sso/saml");
        var eventsBefore = (await _admin.AuditEventsAsync(org.Id)).Count;

        var response = await _admin.PutAsync($"/v1/organisations/{org.Id}/sso/saml", TestApi.Json(read.ToJsonString()));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(read.ToJsonString(), (await response.ReadJsonAsync()).ToJsonString());
        Assert.Equal(read.ToJsonString(), (await _admin.GetJsonAsync($"/v1/organisations/{org.Id}/sso/saml")).ToJsonString());
        Assert.Equal(eventsBefore, (await _admin.AuditEventsAsync(org.Id)).Count);
    }

    public static TheoryData<string, string> InvalidSettings => new()
    {
        { """{"idpCertificates":["-----BEGIN CERTIFICATE-----\nnot base64\n-----END CERTIFICATE-----"]}""", "idpCertificates[0]" },
        { """{"idpCertificates":["MIIB..."]}""", "idpCertificates[0]" },
        { """{"idpCertificates":[]}""", "idpCertificates" },
        { "three", "idpCertificates" },
        { "weak", "idpCertificates[0]" },
        { """{"idpSsoUrl":"http://idp.example.test/sso"}""", "idpSsoUrl" },
        { """{"idpSsoUrl":"not a url"}""", "idpSsoUrl" },
        { """{"idpEntityId":""}""", "idpEntityId" },
        { """{"groupRoles":{"IT":"platform-admin"}}""", "groupRoles" },
        { """{"groupRoles":{"IT":"no-such-role"}}""", "groupRoles" },
        { """{"defaultRole":"superuser"}""", "defaultRole" },
        { """{"emailAttribute":""}""", "emailAttribute" },
    };

    [Theory]
    [MemberData(nameof(InvalidSettings))]
    public async Task Invalid_saml_settings_are_a_400_naming_the_field_and_nothing_is_stored(string change, string field)
    {
        var id = TestApi.NewOrgId("saml");
        await _admin.CreateOrganisationAsync(id, "enterprise");
        using var idp = new TestSamlIdp("https://idp.example.test/x");
        var body = Settings(idp);
        if (change == "three") body["idpCertificates"] = new JsonArray(idp.CertificatePem, idp.CertificatePem, idp.CertificatePem);
        else if (change == "weak")
        {
            using var weak = new TestSamlIdp("https://idp.example.test/x", keyBits: 1024);
            body["idpCertificates"] = new JsonArray(weak.CertificatePem);
        }
        else foreach (var (key, value) in JsonNode.Parse(change)!.AsObject()) body[key] = value?.DeepClone();

        var problem = await (await _admin.PutAsync($"/v1/organisations/{id}/sso/saml", TestApi.Json(body.ToJsonString()))).AssertProblemAsync(HttpStatusCode.BadRequest);

        Assert.NotNull(problem["errors"]![field]);
        Assert.DoesNotContain("Exception", problem.ToJsonString(), StringComparison.Ordinal);
        await (await _admin.GetAsync($"/v1/organisations/{id}/sso/saml")).AssertProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task A_group_may_map_to_a_custom_role_of_the_organisation()
    {
        var id = TestApi.NewOrgId("saml");
        await _admin.CreateOrganisationAsync(id, "enterprise");
        (await _admin.PutAsync($"/v1/organisations/{id}/roles/planner", TestApi.Json(new { permissions = new[] { "org:read" } }))).EnsureSuccessStatusCode();
        using var idp = new TestSamlIdp("https://idp.example.test/x");
        var body = Settings(idp);
        body["groupRoles"] = new JsonObject { ["Planners"] = "planner" };
        body["defaultRole"] = "planner";

        var response = await _admin.PutAsync($"/v1/organisations/{id}/sso/saml", TestApi.Json(body.ToJsonString()));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Saml_sign_in_needs_the_sso_feature()
    {
        var id = TestApi.NewOrgId("saml");
        await _admin.CreateOrganisationAsync(id, "pro");
        using var idp = new TestSamlIdp("https://idp.example.test/x");

        var problem = await (await _admin.PutAsync($"/v1/organisations/{id}/sso/saml", TestApi.Json(Settings(idp).ToJsonString()))).AssertProblemAsync(HttpStatusCode.Forbidden);

        Assert.Contains("sso", problem["detail"]!.GetValue<string>());
    }

    [Fact]
    public async Task Deleting_saml_settings_is_audited_and_the_metadata_and_login_are_gone()
    {
        using var org = await SamlTestOrg.CreateAsync(fixture);

        Assert.Equal(HttpStatusCode.NoContent, (await _admin.DeleteAsync($"/v1/organisations/{org.Id}/sso/saml")).StatusCode);

        Assert.Equal("sso.saml.removed", (await _admin.AuditEventsAsync(org.Id)).Last()["action"]!.GetValue<string>());
        await (await _admin.GetAsync($"/v1/organisations/{org.Id}/sso/saml")).AssertProblemAsync(HttpStatusCode.NotFound);
        await (await fixture.Client(null).GetAsync($"/saml/{org.Id}/metadata")).AssertProblemAsync(HttpStatusCode.NotFound);
        await (await fixture.Client(null).GetAsync($"/saml/{org.Id}/login")).AssertProblemAsync(HttpStatusCode.NotFound);
        await (await _admin.DeleteAsync($"/v1/organisations/{org.Id}/sso/saml")).AssertProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task An_admin_may_read_but_only_an_owner_may_write_saml_settings()
    {
        using var org = await SamlTestOrg.CreateAsync(fixture);
        var admin = fixture.Client(await _admin.CreateKeyAsync(org.Id, "admin"));
        var read = await admin.GetJsonAsync($"/v1/organisations/{org.Id}/sso/saml");

        await (await admin.PutAsync($"/v1/organisations/{org.Id}/sso/saml", TestApi.Json(read.ToJsonString()))).AssertProblemAsync(HttpStatusCode.Forbidden);
        await (await admin.DeleteAsync($"/v1/organisations/{org.Id}/sso/saml")).AssertProblemAsync(HttpStatusCode.Forbidden);
    }

    [Theory]
    [InlineData("GET")]
    [InlineData("PUT")]
    [InlineData("DELETE")]
    public async Task An_owner_of_organisation_a_gets_404_on_organisation_b_s_saml_settings_and_b_is_unchanged(string method)
    {
        using var a = await SamlTestOrg.CreateAsync(fixture);
        using var b = await SamlTestOrg.CreateAsync(fixture);
        var ownerOfA = fixture.Client(await _admin.CreateKeyAsync(a.Id, "owner"));
        var before = (await _admin.GetJsonAsync($"/v1/organisations/{b.Id}/sso/saml")).ToJsonString();
        var auditBefore = (await _admin.AuditEventsAsync(b.Id)).Count;

        var request = new HttpRequestMessage(new HttpMethod(method), $"/v1/organisations/{b.Id}/sso/saml");
        if (method == "PUT") request.Content = TestApi.Json(Settings(a.Idp).ToJsonString());
        var problem = await (await ownerOfA.SendAsync(request)).AssertProblemAsync(HttpStatusCode.NotFound);

        Assert.Contains(b.Id, problem["detail"]!.GetValue<string>());
        Assert.Equal(before, (await _admin.GetJsonAsync($"/v1/organisations/{b.Id}/sso/saml")).ToJsonString());
        Assert.Equal(auditBefore, (await _admin.AuditEventsAsync(b.Id)).Count);
    }
}

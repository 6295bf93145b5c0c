using System.Net;
using System.Text.Json.Nodes;
using Taskee.Tests.Identity.Issuer;
using Taskee.Tests.Identity.Saml;
using Taskee.Tests.Infrastructure;

namespace Taskee.Tests.Scim;

/// <summary>Where SCIM meets sign-in: a directory that ends a person's membership ends their sessions, and without a
/// SCIM group mapping of its own the organisation's SAML groupRoles decide the roles.</summary>
public sealed class ScimSessionsAndSamlRolesTests(IssuerFixture fixture) : IClassFixture<IssuerFixture>
{
    private const string PatchDeactivate =
        """{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"Replace","path":"active","value":"False"}]}""";

    private async Task<(ScimClient Scim, string UserId, string RefreshToken)> SignedInScimUserAsync(string email)
    {
        var scim = await ScimClient.CreateAsync(fixture.Node);
        var signedIn = await fixture.SignedInAsync(scim.OrgId, email);
        // The directory provisions the same person: linked to the member by e-mail, no second seat.
        var user = await scim.CreateUserAsync(email);
        Assert.Equal(signedIn.MemberId, user["id"]!.GetValue<string>());
        return (scim, signedIn.MemberId, signedIn.Tokens.RefreshToken);
    }

    [Fact]
    public async Task Deactivating_a_signed_in_person_over_SCIM_revokes_their_refresh_token_for_good()
    {
        var (scim, userId, refreshToken) = await SignedInScimUserAsync("els.bakker@zorgnoord.nl");

        await scim.ExpectAsync(await scim.SendAsync("PATCH", $"/Users/{userId}", PatchDeactivate), HttpStatusCode.OK);
        // Reactivated, they are a member again: the session of before the deactivation must still be over.
        await scim.ExpectAsync(await scim.SendAsync("PATCH", $"/Users/{userId}",
            """{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"replace","value":{"active":true}}]}"""), HttpStatusCode.OK);

        var refresh = await fixture.RefreshAsync(refreshToken);
        Assert.Equal(HttpStatusCode.BadRequest, refresh.StatusCode);
        Assert.Equal("invalid_grant", (await refresh.ReadJsonAsync())["error"]!.GetValue<string>());
    }

    [Fact]
    public async Task Deleting_a_signed_in_person_over_SCIM_revokes_their_refresh_token()
    {
        var (scim, userId, refreshToken) = await SignedInScimUserAsync("piet.smit@zorgnoord.nl");

        Assert.Equal(HttpStatusCode.NoContent, (await scim.SendAsync("DELETE", $"/Users/{userId}")).StatusCode);

        var refresh = await fixture.RefreshAsync(refreshToken);
        Assert.Equal(HttpStatusCode.BadRequest, refresh.StatusCode);
        Assert.Equal("invalid_grant", (await refresh.ReadJsonAsync())["error"]!.GetValue<string>());
    }

    [Fact]
    public async Task Without_a_SCIM_group_mapping_the_SAML_groupRoles_give_a_groups_members_their_role()
    {
        var scim = await ScimClient.CreateAsync(fixture.Node);
        using var idp = new TestSamlIdp($"https://idp.example.test/{scim.OrgId}");
        var saml = new JsonObject
        {
            ["idpEntityId"] = idp.EntityId,
            ["idpSsoUrl"] = "https://idp.example.test/sso/saml",
            ["idpCertificates"] = new JsonArray(idp.CertificatePem),
            ["rolesAttribute"] = "groups",
            ["groupRoles"] = new JsonObject { ["Taskee Admins"] = "admin" },
        };
        var put = await fixture.Admin.PutAsync($"/v1/organisations/{scim.OrgId}/sso/saml", TestApi.Json(saml.ToJsonString()));
        Assert.True(put.StatusCode == HttpStatusCode.OK, await put.Content.ReadAsStringAsync());

        var user = await scim.CreateUserAsync("anna.visser@zorgnoord.nl");
        var userId = user["id"]!.GetValue<string>();
        await scim.CreateGroupAsync("Taskee Admins", userId);

        var members = (await fixture.Admin.GetJsonAsync($"/v1/organisations/{scim.OrgId}/members"))["items"]!.AsArray();
        Assert.Equal("admin", Assert.Single(members)!["role"]!.GetValue<string>());
    }
}

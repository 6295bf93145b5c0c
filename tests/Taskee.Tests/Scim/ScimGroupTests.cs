using System.Net;
using System.Text.Json.Nodes;
using Taskee.Tests.Infrastructure;

namespace Taskee.Tests.Scim;

/// <summary>Groups of provisioned users, the roles mapped groups grant, and PATCH bodies as Okta and Entra ID send them.</summary>
public sealed class ScimGroupTests(NodeFixture fixture) : IClassFixture<NodeFixture>
{
    private readonly HttpClient _admin = fixture.Node.Admin();

    private async Task<string> RoleOfAsync(string orgId, string userId) =>
        (await _admin.GetJsonAsync($"/v1/organisations/{orgId}/members"))["items"]!.AsArray()
        .Single(m => m!["userId"]!.GetValue<string>() == userId)!["role"]!.GetValue<string>();

    private async Task MapAsync(string orgId, object mapping)
    {
        var response = await _admin.PutAsync($"/v1/organisations/{orgId}/scim/group-roles", TestApi.Json(mapping));
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Members_of_mapped_groups_get_the_most_privileged_role_and_fall_back_to_member_when_they_leave()
    {
        var scim = await ScimClient.CreateAsync(fixture.Node);
        await MapAsync(scim.OrgId, new Dictionary<string, string> { ["Taskee Admins"] = "admin", ["Finance"] = "billing" });
        var user = (await scim.CreateUserAsync("roles@example.com"))["id"]!.GetValue<string>();

        var finance = (await scim.CreateGroupAsync("Finance", user))["id"]!.GetValue<string>();
        Assert.Equal("billing", await RoleOfAsync(scim.OrgId, user));
        var admins = await scim.CreateGroupAsync("taskee admins", user); // names compare case-insensitively
        Assert.Equal("admin", await RoleOfAsync(scim.OrgId, user));
        Assert.Equal(user, admins["members"]![0]!["value"]!.GetValue<string>());
        Assert.Equal(2, (await scim.GetAsync($"/Users/{user}"))["groups"]!.AsArray().Count);

        // Okta removes a member with a value filter path.
        await scim.ExpectAsync(await scim.SendAsync("PATCH", $"/Groups/{admins["id"]}",
            $$"""{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"remove","path":"members[value eq \"{{user}}\"]"}]}"""), HttpStatusCode.OK);
        Assert.Equal("billing", await RoleOfAsync(scim.OrgId, user));

        Assert.Equal(HttpStatusCode.NoContent, (await scim.SendAsync("DELETE", $"/Groups/{finance}")).StatusCode);
        Assert.Equal("member", await RoleOfAsync(scim.OrgId, user));
        var audit = await _admin.AuditEventsAsync(scim.OrgId);
        Assert.Equal(4, audit.Count(e => e["action"]!.GetValue<string>() == "member.role_changed"));
        Assert.Contains(audit, e => e["action"]!.GetValue<string>() == "scim.group_roles.updated" && e["actor"]!["kind"]!.GetValue<string>() == "apiKey");
    }

    [Fact]
    public async Task Changing_the_mapping_applies_it_to_every_provisioned_member_at_once()
    {
        var scim = await ScimClient.CreateAsync(fixture.Node);
        var user = (await scim.CreateUserAsync("later@example.com"))["id"]!.GetValue<string>();
        await scim.CreateGroupAsync("Auditors", user);
        Assert.Equal("member", await RoleOfAsync(scim.OrgId, user));

        await MapAsync(scim.OrgId, new Dictionary<string, string> { ["Auditors"] = "auditor" });
        Assert.Equal("auditor", await RoleOfAsync(scim.OrgId, user));
        Assert.Equal("auditor", (await _admin.GetJsonAsync($"/v1/organisations/{scim.OrgId}/scim/group-roles"))["Auditors"]!.GetValue<string>());

        await MapAsync(scim.OrgId, new Dictionary<string, string>());
        Assert.Equal("member", await RoleOfAsync(scim.OrgId, user));
    }

    [Fact]
    public async Task A_mapping_with_an_unknown_role_is_a_400_that_names_the_roles()
    {
        var orgId = (await ScimClient.CreateAsync(fixture.Node)).OrgId;
        var problem = await (await _admin.PutAsync($"/v1/organisations/{orgId}/scim/group-roles", TestApi.Json(new Dictionary<string, string> { ["X"] = "god" })))
            .AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.Contains("owner, admin, billing, auditor, member", problem.ToJsonString());
    }

    [Fact]
    public async Task A_reactivated_user_gets_the_role_of_its_groups_again()
    {
        var scim = await ScimClient.CreateAsync(fixture.Node);
        await MapAsync(scim.OrgId, new Dictionary<string, string> { ["Owners"] = "owner" });
        var user = (await scim.CreateUserAsync("back@example.com"))["id"]!.GetValue<string>();
        await scim.CreateGroupAsync("Owners", user);
        await scim.ExpectAsync(await scim.SendAsync("PATCH", $"/Users/{user}", """{"Operations":[{"op":"Replace","path":"active","value":"False"}]}"""), HttpStatusCode.OK);
        await scim.ExpectAsync(await scim.SendAsync("PATCH", $"/Users/{user}", """{"Operations":[{"op":"Replace","path":"active","value":"True"}]}"""), HttpStatusCode.OK);
        Assert.Equal("owner", await RoleOfAsync(scim.OrgId, user));
    }

    [Fact]
    public async Task Entra_id_group_patches_add_and_remove_members_as_lists_and_rename()
    {
        var scim = await ScimClient.CreateAsync(fixture.Node);
        var a = (await scim.CreateUserAsync("a@example.com"))["id"]!.GetValue<string>();
        var b = (await scim.CreateUserAsync("b@example.com"))["id"]!.GetValue<string>();
        var group = (await scim.CreateGroupAsync("Ward 3"))["id"]!.GetValue<string>();

        // Verbatim shapes of Microsoft Entra ID's provisioning service (learn.microsoft.com, "Develop a SCIM endpoint").
        await scim.ExpectAsync(await scim.SendAsync("PATCH", $"/Groups/{group}", $$"""
            {"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"Add","path":"members","value":[{"$ref":null,"value":"{{a}}"},{"$ref":null,"value":"{{b}}"}]}]}
            """), HttpStatusCode.OK);
        await scim.ExpectAsync(await scim.SendAsync("PATCH", $"/Groups/{group}", $$"""
            {"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"Remove","path":"members","value":[{"$ref":null,"value":"{{a}}"}]}]}
            """), HttpStatusCode.OK);
        var renamed = await scim.ExpectAsync(await scim.SendAsync("PATCH", $"/Groups/{group}", """
            {"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"Replace","path":"displayName","value":"Ward 3 East"}]}
            """), HttpStatusCode.OK);

        Assert.Equal("Ward 3 East", renamed["displayName"]!.GetValue<string>());
        Assert.Equal([b], renamed["members"]!.AsArray().Select(m => m!["value"]!.GetValue<string>()));
        Assert.Equal("b@example.com", renamed["members"]![0]!["display"]!.GetValue<string>());
        var listed = await scim.GetAsync("/Groups?excludedAttributes=members&filter=" + Uri.EscapeDataString("displayName eq \"ward 3 east\""));
        Assert.Equal(1, listed["totalResults"]!.GetValue<int>());
        Assert.Null(listed["Resources"]![0]!["members"]);
        Assert.Null((await scim.GetAsync($"/Groups/{group}?excludedAttributes=members"))["members"]);
    }

    [Fact]
    public async Task Okta_group_patches_add_members_and_replace_without_a_path()
    {
        var scim = await ScimClient.CreateAsync(fixture.Node);
        var user = (await scim.CreateUserAsync("okta@example.com"))["id"]!.GetValue<string>();
        var group = (await scim.CreateGroupAsync("Test SCIMv2"))["id"]!.GetValue<string>();

        // Verbatim shapes from Okta's SCIM 2.0 guide (developer.okta.com, "SCIM 2.0 protocol reference").
        await scim.ExpectAsync(await scim.SendAsync("PATCH", $"/Groups/{group}", $$"""
            {"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"add","path":"members","value":[{"value":"{{user}}","display":"okta@example.com"}]}]}
            """), HttpStatusCode.OK);
        var replaced = await scim.ExpectAsync(await scim.SendAsync("PATCH", $"/Groups/{group}", $$$"""
            {"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"replace","value":{"id":"{{{group}}}","displayName":"Test SCIMv2 renamed"}}]}
            """), HttpStatusCode.OK);

        Assert.Equal("Test SCIMv2 renamed", replaced["displayName"]!.GetValue<string>());
        Assert.Equal(group, replaced["id"]!.GetValue<string>());
        Assert.Equal(user, replaced["members"]![0]!["value"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_group_with_a_member_that_is_no_user_of_the_organisation_is_a_400_invalidValue()
    {
        var scim = await ScimClient.CreateAsync(fixture.Node);
        await ScimClient.AssertErrorAsync(await scim.SendAsync("POST", "/Groups", """{"displayName":"G","members":[{"value":"nobody"}]}"""),
            HttpStatusCode.BadRequest, "invalidValue");
        await ScimClient.AssertErrorAsync(await scim.SendAsync("POST", "/Groups", """{"members":[]}"""), HttpStatusCode.BadRequest, "invalidValue");
    }

    [Fact]
    public async Task Deleting_a_user_takes_it_out_of_its_groups()
    {
        var scim = await ScimClient.CreateAsync(fixture.Node);
        var user = (await scim.CreateUserAsync("gone@example.com"))["id"]!.GetValue<string>();
        var group = await scim.CreateGroupAsync("Team", user);
        Assert.Equal(HttpStatusCode.NoContent, (await scim.SendAsync("DELETE", $"/Users/{user}")).StatusCode);

        var after = await scim.GetAsync($"/Groups/{group["id"]}");
        Assert.Empty(after["members"]!.AsArray());
        Assert.Equal("W/\"2\"", after["meta"]!["version"]!.GetValue<string>());
    }
}

using System.Text.Json.Nodes;
using Taskee.Api.Scim;

namespace Taskee.Tests.Scim;

/// <summary>PATCH bodies verbatim as Microsoft Entra ID and Okta send them, applied to a user and read back as the store would keep it.</summary>
public sealed class ScimPatchTests
{
    private static JsonObject User() => JsonNode.Parse("""
        {
          "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"],
          "id": "u1",
          "userName": "Test_User_00aa00aa@contoso.com",
          "name": { "givenName": "Given", "familyName": "Family" },
          "emails": [ { "value": "Test_User_00aa00aa@contoso.com", "type": "work", "primary": true } ],
          "active": true,
          "meta": { "resourceType": "User", "version": "W/\"1\"" }
        }
        """)!.AsObject();

    private static Taskee.Grains.Interfaces.Scim.ScimUser Patch(string body)
    {
        var user = User();
        ScimPatch.Apply(user, JsonNode.Parse(body)!.AsObject());
        return ScimReader.ReadUser(user, "org", "u1");
    }

    [Fact]
    public void Entra_id_disables_a_user_with_the_string_False()
    {
        var user = Patch("""
            {"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"Replace","path":"active","value":"False"}]}
            """);
        Assert.False(user.Active);
    }

    [Fact]
    public void Entra_id_updates_the_work_e_mail_and_family_name_by_path()
    {
        var user = Patch("""
            {
              "schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
              "Operations": [
                { "op": "Replace", "path": "emails[type eq \"work\"].value", "value": "updatedEmail@microsoft.com" },
                { "op": "Replace", "path": "name.familyName", "value": "updatedFamilyName" }
              ]
            }
            """);
        Assert.Equal("updatedEmail@microsoft.com", Assert.Single(user.Emails).Value);
        Assert.Equal("updatedFamilyName", user.Name!.FamilyName);
        Assert.Equal("Given", user.Name.GivenName);
        Assert.Equal("updatedEmail@microsoft.com", user.MemberEmail);
    }

    [Fact]
    public void Entra_id_adds_attributes_with_add_and_an_e_mail_that_no_element_matches_yet()
    {
        var user = Patch("""
            {
              "schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
              "Operations": [
                { "op": "Add", "path": "displayName", "value": "Test User" },
                { "op": "Add", "path": "externalId", "value": "0a21f0f2-8d2a-4f8e-bf98-7363c4aed4ef" },
                { "op": "Add", "path": "emails[type eq \"home\"].value", "value": "home@contoso.com" },
                { "op": "Add", "path": "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber", "value": "701984" }
              ]
            }
            """);
        Assert.Equal("Test User", user.DisplayName);
        Assert.Equal("0a21f0f2-8d2a-4f8e-bf98-7363c4aed4ef", user.ExternalId);
        Assert.Contains(user.Emails, e => e is { Type: "home", Value: "home@contoso.com", Primary: false });
    }

    [Fact]
    public void Okta_deactivates_with_replace_and_no_path()
    {
        var user = Patch("""
            {"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"replace","value":{"active":false}}]}
            """);
        Assert.False(user.Active);
    }

    [Fact]
    public void Replace_without_a_path_takes_dotted_keys_and_ignores_read_only_and_unknown_ones()
    {
        var user = Patch("""
            {"Operations":[{"op":"Replace","value":{"id":"other","name.givenName":"Nieuw","nickName":"x","DisplayName":"D"}}]}
            """);
        Assert.Equal("u1", user.Id);
        Assert.Equal("Nieuw", user.Name!.GivenName);
        Assert.Equal("D", user.DisplayName);
    }

    [Fact]
    public void Remove_by_value_filter_removes_the_matching_element_only()
    {
        var user = User();
        ScimPatch.Apply(user, JsonNode.Parse("""{"Operations":[{"op":"add","path":"emails","value":[{"value":"b@contoso.com","type":"home"}]}]}""")!.AsObject());
        ScimPatch.Apply(user, JsonNode.Parse("""{"Operations":[{"op":"remove","path":"emails[type eq \"work\"]"}]}""")!.AsObject());
        Assert.Equal("b@contoso.com", Assert.Single(ScimReader.ReadUser(user, "org", "u1").Emails).Value);
    }

    [Theory]
    [InlineData("""{"Operations":[{"op":"move","path":"active","value":false}]}""", "invalidSyntax")]
    [InlineData("""{"Operations":[{"op":"remove"}]}""", "noTarget")]
    [InlineData("""{"Operations":[{"op":"replace","path":"emails[type eq ]","value":"x"}]}""", "invalidPath")]
    [InlineData("""{"Operations":[{"op":"replace","path":"id","value":"x"}]}""", "mutability")]
    [InlineData("""{"Operations":[{"op":"replace","path":"active","value":"maybe"}]}""", "invalidValue")]
    [InlineData("""{"Operations":[{"op":"replace","path":"userName","value":""}]}""", "invalidValue")]
    [InlineData("""{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"]}""", "invalidSyntax")]
    public void A_patch_that_cannot_apply_names_its_scim_type(string body, string scimType)
    {
        var error = Assert.Throws<ScimRequestException>(() => Patch(body));
        Assert.Equal(scimType, error.Error.ScimType);
    }
}

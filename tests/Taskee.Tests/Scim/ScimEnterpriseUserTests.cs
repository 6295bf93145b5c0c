using System.Net;
using System.Text.Json.Nodes;
using Taskee.Tests.Infrastructure;

namespace Taskee.Tests.Scim;

/// <summary>
/// The EnterpriseUser extension and the core user attributes a conformance probe round-trips, with request bodies in the
/// shapes Microsoft Entra ID's provisioning service and Okta send.
/// </summary>
public sealed class ScimEnterpriseUserTests(NodeFixture fixture) : IClassFixture<NodeFixture>
{
    private const string Enterprise = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";

    private const string PatchOp = "urn:ietf:params:scim:api:messages:2.0:PatchOp";

    // Entra's create request (learn.microsoft.com, "Develop a SCIM endpoint"), with the enterprise attributes it maps by default.
    private static string EntraUser(string userName, string? managerId = null) => $$"""
        {
          "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User", "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"],
          "externalId": "0a21f0f2-8d2a-4f8e-bf98-7363c4aed4ef",
          "userName": "{{userName}}",
          "active": true,
          "emails": [{ "primary": true, "type": "work", "value": "{{userName}}" }],
          "meta": { "resourceType": "User" },
          "name": { "formatted": "givenName familyName", "familyName": "familyName", "givenName": "givenName" },
          "roles": [],
          "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User": {
            "employeeNumber": "701984",
            "department": "Tour Operations",
            "costCenter": "4130",
            "organization": "Universal Studios",
            "division": "Theme Park"{{(managerId is null ? "" : $$""", "manager": { "value": "{{managerId}}" }""")}}
          }
        }
        """;

    // RFC 7643 8.2's full user, trimmed to what Taskee keeps: every attribute here must come back as sent.
    private const string FullUser = """
        {
          "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"],
          "userName": "bjensen@example.com",
          "name": {
            "formatted": "Ms. Barbara J Jensen, III", "familyName": "Jensen", "givenName": "Barbara",
            "middleName": "Jane", "honorificPrefix": "Ms.", "honorificSuffix": "III"
          },
          "displayName": "Babs Jensen",
          "nickName": "Babs",
          "profileUrl": "https://login.example.com/bjensen",
          "emails": [{ "value": "bjensen@example.com", "type": "work", "primary": true }],
          "addresses": [
            { "type": "work", "streetAddress": "100 Universal City Plaza", "locality": "Hollywood", "region": "CA",
              "postalCode": "91608", "country": "USA", "formatted": "100 Universal City Plaza\nHollywood, CA 91608 USA", "primary": true },
            { "type": "home", "streetAddress": "456 Hollywood Blvd", "locality": "Hollywood", "region": "CA",
              "postalCode": "91608", "country": "USA", "formatted": "456 Hollywood Blvd\nHollywood, CA 91608 USA", "primary": false }
          ],
          "phoneNumbers": [{ "value": "555-555-5555", "type": "work", "primary": true }, { "value": "555-555-4444", "type": "mobile" }],
          "userType": "Employee",
          "title": "Tour Guide",
          "preferredLanguage": "en-US",
          "locale": "en-US",
          "timezone": "America/Los_Angeles",
          "active": true
        }
        """;

    [Fact]
    public async Task Entra_id_creates_a_user_with_the_enterprise_extension_and_reads_it_back()
    {
        var scim = await ScimClient.CreateAsync(fixture.Node);
        var created = await scim.ExpectAsync(await scim.SendAsync("POST", "/Users", EntraUser("ent@example.com")), HttpStatusCode.Created);

        Assert.Contains(Enterprise, created["schemas"]!.AsArray().Select(s => s!.GetValue<string>()));
        var read = await scim.GetAsync($"/Users/{created["id"]}");
        Assert.Equal("""{"employeeNumber":"701984","costCenter":"4130","organization":"Universal Studios","division":"Theme Park","department":"Tour Operations"}""",
            read[Enterprise]!.ToJsonString());
        Assert.Equal(["urn:ietf:params:scim:schemas:core:2.0:User", Enterprise], read["schemas"]!.AsArray().Select(s => s!.GetValue<string>()));
    }

    [Fact]
    public async Task A_user_without_the_extension_names_only_the_core_schema()
    {
        var scim = await ScimClient.CreateAsync(fixture.Node);
        var created = await scim.CreateUserAsync("core@example.com");
        Assert.Equal(["urn:ietf:params:scim:schemas:core:2.0:User"], created["schemas"]!.AsArray().Select(s => s!.GetValue<string>()));
        Assert.Null(created[Enterprise]);
    }

    [Fact]
    public async Task Entra_id_sets_the_manager_by_id_and_the_manager_display_name_is_returned_read_only()
    {
        var scim = await ScimClient.CreateAsync(fixture.Node);
        var boss = await scim.ExpectAsync(await scim.SendAsync("POST", "/Users",
            """{"userName":"boss@example.com","displayName":"The Boss"}"""), HttpStatusCode.Created);
        var bossId = boss["id"]!.GetValue<string>();
        var user = (await scim.CreateUserAsync("report@example.com"))["id"]!.GetValue<string>();

        // Verbatim from Entra's provisioning logs: the manager is sent as the manager's id alone.
        var patched = await scim.ExpectAsync(await scim.SendAsync("PATCH", $"/Users/{user}", $$"""
            {"schemas":["{{PatchOp}}"],"Operations":[{"op":"Add","path":"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager","value":"{{bossId}}"}]}
            """), HttpStatusCode.OK);
        Assert.Equal(bossId, patched[Enterprise]!["manager"]!["value"]!.GetValue<string>());
        Assert.Equal("The Boss", patched[Enterprise]!["manager"]!["displayName"]!.GetValue<string>());
        Assert.EndsWith($"/scim/v2/Users/{bossId}", patched[Enterprise]!["manager"]!["$ref"]!.GetValue<string>());

        var listed = await scim.GetAsync("/Users?filter=" + Uri.EscapeDataString($"{Enterprise}:manager.value eq \"{bossId}\""));
        Assert.Equal(1, listed["totalResults"]!.GetValue<int>());
        Assert.Equal("The Boss", listed["Resources"]![0]![Enterprise]!["manager"]!["displayName"]!.GetValue<string>());

        // The displayName sent back is read-only: ignored, the manager's own name is shown.
        await scim.ExpectAsync(await scim.SendAsync("PUT", $"/Users/{user}", $$"""
            {"userName":"report@example.com","{{Enterprise}}":{"manager":{"value":"{{bossId}}","displayName":"Someone Else" } } }
            """), HttpStatusCode.OK);
        Assert.Equal("The Boss", (await scim.GetAsync($"/Users/{user}"))[Enterprise]!["manager"]!["displayName"]!.GetValue<string>());

        var removed = await scim.ExpectAsync(await scim.SendAsync("PATCH", $"/Users/{user}", $$"""
            {"schemas":["{{PatchOp}}"],"Operations":[{"op":"Remove","path":"{{Enterprise}}:manager"}]}
            """), HttpStatusCode.OK);
        Assert.Null(removed[Enterprise]);
        Assert.DoesNotContain(Enterprise, removed["schemas"]!.AsArray().Select(s => s!.GetValue<string>()));
    }

    [Fact]
    public async Task A_manager_of_another_organisation_shows_no_display_name()
    {
        var a = await ScimClient.CreateAsync(fixture.Node);
        var b = await ScimClient.CreateAsync(fixture.Node);
        var foreign = await b.ExpectAsync(await b.SendAsync("POST", "/Users", """{"userName":"secret@example.com","displayName":"Secret Name"}"""),
            HttpStatusCode.Created);
        var created = await a.ExpectAsync(await a.SendAsync("POST", "/Users", EntraUser("a-user@example.com", foreign["id"]!.GetValue<string>())),
            HttpStatusCode.Created);

        Assert.Null(created[Enterprise]!["manager"]!["displayName"]);
        Assert.Null((await a.GetAsync("/Users"))["Resources"]![0]![Enterprise]!["manager"]!["displayName"]);
        Assert.DoesNotContain("Secret Name", (await a.GetAsync($"/Users/{created["id"]}")).ToJsonString());
    }

    [Fact]
    public async Task Enterprise_attributes_are_patched_by_their_urn_paths_and_filtered_on()
    {
        var scim = await ScimClient.CreateAsync(fixture.Node);
        var id = (await scim.ExpectAsync(await scim.SendAsync("POST", "/Users", EntraUser("dept@example.com")), HttpStatusCode.Created))["id"]!.GetValue<string>();
        await scim.CreateUserAsync("other@example.com");

        // Entra: by path; Okta: without a path, the attribute's full URN as the key, and the extension as one object.
        var patched = await scim.ExpectAsync(await scim.SendAsync("PATCH", $"/Users/{id}", $$$"""
            {"schemas":["{{{PatchOp}}}"],"Operations":[
              {"op":"Replace","path":"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department","value":"Finance"},
              {"op":"replace","value":{"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:costCenter":"9000"}},
              {"op":"add","path":"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User","value":{"division":"Corporate"}},
              {"op":"remove","path":"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:organization"}
            ]}
            """), HttpStatusCode.OK);
        Assert.Equal("""{"employeeNumber":"701984","costCenter":"9000","division":"Corporate","department":"Finance"}""", patched[Enterprise]!.ToJsonString());

        var byNumber = await scim.GetAsync("/Users?filter=" + Uri.EscapeDataString($"{Enterprise}:employeeNumber eq \"701984\""));
        Assert.Equal([id], byNumber["Resources"]!.AsArray().Select(r => r!["id"]!.GetValue<string>()));
        var byDepartment = await scim.GetAsync("/Users?filter=" + Uri.EscapeDataString($"{Enterprise}:department eq \"finance\" and active eq true"));
        Assert.Equal(1, byDepartment["totalResults"]!.GetValue<int>());
        Assert.Equal(0, (await scim.GetAsync("/Users?filter=" + Uri.EscapeDataString($"{Enterprise}:department eq \"Tour Operations\"")))["totalResults"]!.GetValue<int>());
    }

    [Fact]
    public async Task A_wrongly_typed_enterprise_attribute_is_a_400_invalidValue_naming_it()
    {
        var scim = await ScimClient.CreateAsync(fixture.Node);
        var error = await ScimClient.AssertErrorAsync(await scim.SendAsync("POST", "/Users",
            $$$"""{"userName":"typed@example.com","{{{Enterprise}}}":{"employeeNumber":42}}"""), HttpStatusCode.BadRequest, "invalidValue");
        Assert.Contains("employeeNumber", error["detail"]!.GetValue<string>());
        await ScimClient.AssertErrorAsync(await scim.SendAsync("POST", "/Users",
            $$"""{"userName":"typed@example.com","{{Enterprise}}":"Finance"}"""), HttpStatusCode.BadRequest, "invalidValue");
        await ScimClient.AssertErrorAsync(await scim.SendAsync("POST", "/Users",
            """{"userName":"typed@example.com","phoneNumbers":[{"value":5555555}]}"""), HttpStatusCode.BadRequest, "invalidValue");
    }

    [Fact]
    public async Task Every_core_attribute_a_probe_sends_comes_back_as_sent_on_create_get_and_replace()
    {
        var scim = await ScimClient.CreateAsync(fixture.Node);
        var sent = JsonNode.Parse(FullUser)!.AsObject();
        var created = await scim.ExpectAsync(await scim.SendAsync("POST", "/Users", FullUser), HttpStatusCode.Created);
        var id = created["id"]!.GetValue<string>();
        AssertSentIsReturned(sent, created.AsObject());
        AssertSentIsReturned(sent, (await scim.GetAsync($"/Users/{id}")).AsObject());

        sent["title"] = "Head Guide";
        sent["addresses"]!.AsArray().RemoveAt(1);
        var replaced = await scim.ExpectAsync(await scim.SendAsync("PUT", $"/Users/{id}", sent.ToJsonString()), HttpStatusCode.OK);
        AssertSentIsReturned(sent, replaced.AsObject());
        Assert.Single(replaced["addresses"]!.AsArray());
    }

    [Fact]
    public async Task Core_attributes_are_patched_by_path_like_entra_id_does()
    {
        var scim = await ScimClient.CreateAsync(fixture.Node);
        var id = (await scim.ExpectAsync(await scim.SendAsync("POST", "/Users", FullUser), HttpStatusCode.Created))["id"]!.GetValue<string>();

        var patched = await scim.ExpectAsync(await scim.SendAsync("PATCH", $"/Users/{id}", $$"""
            {"schemas":["{{PatchOp}}"],"Operations":[
              {"op":"Replace","path":"title","value":"Manager"},
              {"op":"Replace","path":"phoneNumbers[type eq \"work\"].value","value":"555-000-0000"},
              {"op":"Add","path":"phoneNumbers[type eq \"fax\"].value","value":"555-111-1111"},
              {"op":"Replace","path":"addresses[type eq \"work\"].locality","value":"Burbank"},
              {"op":"Replace","path":"name.middleName","value":"J."},
              {"op":"Remove","path":"nickName"}
            ]}
            """), HttpStatusCode.OK);

        Assert.Equal("Manager", patched["title"]!.GetValue<string>());
        Assert.Null(patched["nickName"]);
        Assert.Equal("J.", patched["name"]!["middleName"]!.GetValue<string>());
        Assert.Equal(["555-000-0000", "555-555-4444", "555-111-1111"], patched["phoneNumbers"]!.AsArray().Select(p => p!["value"]!.GetValue<string>()));
        Assert.Equal("Burbank", patched["addresses"]![0]!["locality"]!.GetValue<string>());
        Assert.Equal("Hollywood", patched["addresses"]![1]!["locality"]!.GetValue<string>());
        var filtered = await scim.GetAsync("/Users?filter=" + Uri.EscapeDataString("phoneNumbers[type eq \"fax\" and value sw \"555-111\"] and title eq \"manager\""));
        Assert.Equal(1, filtered["totalResults"]!.GetValue<int>());
    }

    [Fact]
    public async Task Schemas_and_resource_types_describe_the_enterprise_extension()
    {
        var scim = await ScimClient.CreateAsync(fixture.Node);
        var schema = await scim.GetAsync($"/Schemas/{Enterprise}");
        var attributes = schema["attributes"]!.AsArray().Select(a => a!["name"]!.GetValue<string>()).ToList();
        Assert.Equal(["employeeNumber", "costCenter", "organization", "division", "department", "manager"], attributes);
        var manager = schema["attributes"]!.AsArray().Single(a => a!["name"]!.GetValue<string>() == "manager")!;
        Assert.Equal("readOnly", manager["subAttributes"]!.AsArray().Single(a => a!["name"]!.GetValue<string>() == "displayName")!["mutability"]!.GetValue<string>());

        var user = await scim.GetAsync("/ResourceTypes/User");
        Assert.Equal(Enterprise, user["schemaExtensions"]![0]!["schema"]!.GetValue<string>());
        Assert.False(user["schemaExtensions"]![0]!["required"]!.GetValue<bool>());
        var core = await scim.GetAsync("/Schemas/urn:ietf:params:scim:schemas:core:2.0:User");
        var names = core["attributes"]!.AsArray().Select(a => a!["name"]!.GetValue<string>()).ToList();
        foreach (var name in new[] { "title", "userType", "preferredLanguage", "locale", "timezone", "nickName", "profileUrl", "phoneNumbers", "addresses" })
            Assert.Contains(name, names);
    }

    /// <summary>Every attribute and sub-attribute sent is in the response with the same value (the response may hold more).</summary>
    private static void AssertSentIsReturned(JsonNode sent, JsonNode? returned, string path = "")
    {
        switch (sent)
        {
            case JsonObject o:
                Assert.True(returned is JsonObject, $"{path} is missing or not an object: {returned?.ToJsonString()}");
                foreach (var (key, value) in o)
                    if (key != "schemas") AssertSentIsReturned(value!, returned![key], $"{path}.{key}");
                break;
            case JsonArray a:
                Assert.True(returned is JsonArray r && r.Count == a.Count, $"{path}: sent {a.ToJsonString()}, got {returned?.ToJsonString()}");
                for (var i = 0; i < a.Count; i++) AssertSentIsReturned(a[i]!, returned![i], $"{path}[{i}]");
                break;
            default:
                Assert.True(JsonNode.DeepEquals(sent, returned), $"{path}: sent {sent.ToJsonString()}, got {returned?.ToJsonString()}");
                break;
        }
    }
}

using System.Net;
using System.Text.Json.Nodes;
using Taskee.Tests.Infrastructure;

namespace Taskee.Tests.Scim;

/// <summary>The attributes and excludedAttributes query parameters (RFC 7644 3.4.2.5 and 3.9) on users and groups.</summary>
public sealed class ScimAttributeSelectionTests(NodeFixture fixture) : IClassFixture<NodeFixture>
{
    private const string Enterprise = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";

    private static async Task<(ScimClient Scim, string Id)> UserAsync(TaskeeNode node)
    {
        var scim = await ScimClient.CreateAsync(node);
        var created = await scim.ExpectAsync(await scim.SendAsync("POST", "/Users", $$"""
            {
              "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User", "{{Enterprise}}"],
              "userName": "pick@example.com",
              "externalId": "ext-1",
              "name": { "givenName": "Pick", "familyName": "Me" },
              "displayName": "Pick Me",
              "title": "Nurse",
              "emails": [{ "value": "pick@example.com", "type": "work", "primary": true }, { "value": "home@example.com", "type": "home" }],
              "{{Enterprise}}": { "department": "ICU", "employeeNumber": "17" }
            }
            """), HttpStatusCode.Created);
        return (scim, created["id"]!.GetValue<string>());
    }

    private static List<string> Keys(JsonNode node) => node.AsObject().Select(p => p.Key).ToList();

    [Fact]
    public async Task Attributes_returns_only_what_is_asked_for_plus_id_schemas_and_meta_resource_type()
    {
        var (scim, id) = await UserAsync(fixture.Node);
        var user = await scim.GetAsync($"/Users/{id}?attributes=userName,name.givenName,emails.value");

        Assert.Equal(["schemas", "id", "meta", "userName", "name", "emails"], Keys(user));
        Assert.Equal("""{"resourceType":"User"}""", user["meta"]!.ToJsonString());
        Assert.Equal("""{"givenName":"Pick"}""", user["name"]!.ToJsonString());
        Assert.Equal("""[{"value":"pick@example.com"},{"value":"home@example.com"}]""", user["emails"]!.ToJsonString());
    }

    [Fact]
    public async Task Attributes_on_a_list_applies_to_every_resource_after_the_filter()
    {
        var (scim, id) = await UserAsync(fixture.Node);
        await scim.CreateUserAsync("second@example.com");
        // Entra's matching query: it filters on an attribute it does not ask to be returned.
        var list = await scim.GetAsync("/Users?attributes=userName&filter=" + Uri.EscapeDataString("externalId eq \"ext-1\""));

        Assert.Equal(1, list["totalResults"]!.GetValue<int>());
        var user = list["Resources"]![0]!;
        Assert.Equal(id, user["id"]!.GetValue<string>());
        Assert.Equal(["schemas", "id", "meta", "userName"], Keys(user));
    }

    [Fact]
    public async Task Extension_attributes_are_selected_and_excluded_by_their_urn()
    {
        var (scim, id) = await UserAsync(fixture.Node);
        var picked = await scim.GetAsync($"/Users/{id}?attributes={Enterprise}:department");
        Assert.Equal("""{"department":"ICU"}""", picked[Enterprise]!.ToJsonString());
        Assert.Null(picked["userName"]);

        var whole = await scim.GetAsync($"/Users/{id}?attributes={Enterprise}");
        Assert.Equal("""{"employeeNumber":"17","department":"ICU"}""", whole[Enterprise]!.ToJsonString());

        var without = await scim.GetAsync($"/Users/{id}?excludedAttributes={Enterprise}:employeeNumber,title");
        Assert.Equal("""{"department":"ICU"}""", without[Enterprise]!.ToJsonString());
        Assert.Null(without["title"]);
        Assert.Equal("pick@example.com", without["userName"]!.GetValue<string>());
    }

    [Fact]
    public async Task ExcludedAttributes_leaves_out_sub_attributes_but_never_id_schemas_or_meta_resource_type()
    {
        var (scim, id) = await UserAsync(fixture.Node);
        var user = await scim.GetAsync($"/Users/{id}?excludedAttributes=name.familyName,emails.type,groups,id,schemas,meta");

        Assert.Equal(id, user["id"]!.GetValue<string>());
        Assert.NotNull(user["schemas"]);
        Assert.Equal("""{"resourceType":"User"}""", user["meta"]!.ToJsonString());
        Assert.Equal("""{"givenName":"Pick"}""", user["name"]!.ToJsonString());
        Assert.Equal("""[{"value":"pick@example.com","primary":true},{"value":"home@example.com","primary":false}]""", user["emails"]!.ToJsonString());
        Assert.Null(user["groups"]);
        Assert.Equal("Pick Me", user["displayName"]!.GetValue<string>());
    }

    [Fact]
    public async Task Attributes_applies_to_the_answer_of_a_write_and_to_groups()
    {
        var (scim, id) = await UserAsync(fixture.Node);
        var patched = await scim.ExpectAsync(await scim.SendAsync("PATCH", $"/Users/{id}?attributes=title",
            """{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"replace","path":"title","value":"Charge Nurse"}]}"""),
            HttpStatusCode.OK);
        Assert.Equal(["schemas", "id", "meta", "title"], Keys(patched));
        Assert.Equal("Charge Nurse", patched["title"]!.GetValue<string>());

        var group = (await scim.CreateGroupAsync("Ward 9", id))["id"]!.GetValue<string>();
        var read = await scim.GetAsync($"/Groups/{group}?attributes=members.value");
        Assert.Equal("""[{"value":"%ID%"}]""".Replace("%ID%", id), read["members"]!.ToJsonString());
        Assert.Null(read["displayName"]);
    }

    [Fact]
    public async Task A_trimmed_answer_keeps_its_etag_and_location_headers()
    {
        var scim = await ScimClient.CreateAsync(fixture.Node);
        var created = await scim.SendAsync("POST", "/Users?attributes=userName", """{"userName":"headers@example.com"}""");
        var body = await scim.ExpectAsync(created, HttpStatusCode.Created);
        Assert.Null(body["meta"]!["location"]);
        Assert.EndsWith($"/scim/v2/Users/{body["id"]}", created.Headers.Location!.ToString());
        Assert.Equal("W/\"1\"", created.Headers.ETag!.ToString());

        var read = await scim.SendAsync("GET", $"/Users/{body["id"]}?attributes=userName");
        await scim.ExpectAsync(read, HttpStatusCode.OK);
        Assert.Equal("W/\"1\"", read.Headers.ETag!.ToString());
    }

    [Fact]
    public async Task A_write_with_a_bad_attribute_list_is_refused_before_anything_is_written()
    {
        var scim = await ScimClient.CreateAsync(fixture.Node);
        await ScimClient.AssertErrorAsync(await scim.SendAsync("POST", "/Users?attributes=" + Uri.EscapeDataString("emails[type eq \"work\"]"),
            """{"userName":"never@example.com"}"""), HttpStatusCode.BadRequest, "invalidValue");
        Assert.Equal(0, (await scim.GetAsync("/Users"))["totalResults"]!.GetValue<int>());
    }

    [Fact]
    public async Task An_attribute_list_that_is_no_list_of_paths_is_a_400_invalidValue()
    {
        var (scim, id) = await UserAsync(fixture.Node);
        var error = await ScimClient.AssertErrorAsync(await scim.SendAsync("GET", $"/Users/{id}?attributes=" + Uri.EscapeDataString("emails[type eq \"work\"]")),
            HttpStatusCode.BadRequest, "invalidValue");
        Assert.Contains("attributes", error["detail"]!.GetValue<string>());
        await ScimClient.AssertErrorAsync(await scim.SendAsync("GET", "/Users?excludedAttributes=" + Uri.EscapeDataString("a.b.c")),
            HttpStatusCode.BadRequest, "invalidValue");
    }
}

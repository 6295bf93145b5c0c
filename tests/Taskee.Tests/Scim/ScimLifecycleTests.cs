using System.Net;
using System.Text.Json.Nodes;
using Taskee.Tests.Infrastructure;

namespace Taskee.Tests.Scim;

/// <summary>A directory provisions, deactivates, reactivates and deletes a user over HTTP with a real scim key; seats follow.</summary>
public sealed class ScimLifecycleTests(NodeFixture fixture) : IClassFixture<NodeFixture>
{
    private readonly HttpClient _admin = fixture.Node.Admin();

    /// <summary>The grain's seat counter, as entitlements report it.</summary>
    private async Task<long> SeatsUsedAsync(string orgId) =>
        (await _admin.GetJsonAsync($"/v1/organisations/{orgId}/entitlements"))["usage"]!["seats"]!["used"]!.GetValue<long>();

    private async Task<JsonArray> MembersAsync(string orgId) => (await _admin.GetJsonAsync($"/v1/organisations/{orgId}/members"))["items"]!.AsArray();

    [Fact]
    public async Task A_user_is_created_read_listed_patched_deactivated_reactivated_and_deleted_and_its_seat_follows()
    {
        var scim = await ScimClient.CreateAsync(fixture.Node);

        var created = await scim.CreateUserAsync("Jan.Jansen@zorgnoord.nl");
        var id = created["id"]!.GetValue<string>();
        Assert.Equal("User", created["meta"]!["resourceType"]!.GetValue<string>());
        Assert.Equal("W/\"1\"", created["meta"]!["version"]!.GetValue<string>());
        Assert.EndsWith($"/scim/v2/Users/{id}", created["meta"]!["location"]!.GetValue<string>());
        Assert.True(created["active"]!.GetValue<bool>());
        var member = Assert.Single(await MembersAsync(scim.OrgId))!;
        Assert.Equal(id, member["userId"]!.GetValue<string>());
        Assert.Equal("Jan.Jansen@zorgnoord.nl", member["email"]!.GetValue<string>());
        Assert.Equal("member", member["role"]!.GetValue<string>());
        Assert.Equal(1, await SeatsUsedAsync(scim.OrgId));

        var read = await scim.ExpectAsync(await scim.SendAsync("GET", $"/Users/{id}"), HttpStatusCode.OK);
        Assert.Equal("jan.jansen@zorgnoord.nl", read["userName"]!.GetValue<string>().ToLowerInvariant());
        var list = await scim.GetAsync("/Users?filter=" + Uri.EscapeDataString("userName eq \"JAN.JANSEN@zorgnoord.nl\""));
        Assert.Equal(1, list["totalResults"]!.GetValue<int>());
        Assert.Equal(id, list["Resources"]![0]!["id"]!.GetValue<string>());

        var patched = await scim.ExpectAsync(await scim.SendAsync("PATCH", $"/Users/{id}",
            """{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"Replace","path":"name.familyName","value":"de Vries"}]}"""), HttpStatusCode.OK);
        Assert.Equal("de Vries", patched["name"]!["familyName"]!.GetValue<string>());
        Assert.Equal("W/\"2\"", patched["meta"]!["version"]!.GetValue<string>());

        var deactivated = await scim.ExpectAsync(await scim.SendAsync("PATCH", $"/Users/{id}",
            """{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"Replace","path":"active","value":"False"}]}"""), HttpStatusCode.OK);
        Assert.False(deactivated["active"]!.GetValue<bool>());
        Assert.Empty(await MembersAsync(scim.OrgId));
        Assert.Equal(0, await SeatsUsedAsync(scim.OrgId));
        await scim.GetAsync($"/Users/{id}"); // the SCIM user remains

        await scim.ExpectAsync(await scim.SendAsync("PATCH", $"/Users/{id}",
            """{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"replace","value":{"active":true}}]}"""), HttpStatusCode.OK);
        Assert.Equal(id, Assert.Single(await MembersAsync(scim.OrgId))!["userId"]!.GetValue<string>());
        Assert.Equal(1, await SeatsUsedAsync(scim.OrgId));

        Assert.Equal(HttpStatusCode.NoContent, (await scim.SendAsync("DELETE", $"/Users/{id}")).StatusCode);
        Assert.Empty(await MembersAsync(scim.OrgId));
        Assert.Equal(0, await SeatsUsedAsync(scim.OrgId));
        await ScimClient.AssertErrorAsync(await scim.SendAsync("GET", $"/Users/{id}"), HttpStatusCode.NotFound);

        var events = await _admin.AuditEventsAsync(scim.OrgId);
        var scimEvents = events.Where(e => e["actor"]?["kind"]?.GetValue<string>() == "scim").Select(e => e["action"]!.GetValue<string>()).ToList();
        Assert.All(events.Where(e => e["actor"]!["kind"]!.GetValue<string>() == "scim"), e => Assert.Equal(scim.KeyId, e["actor"]!["id"]!.GetValue<string>()));
        Assert.DoesNotContain(events, e => e["action"]!.GetValue<string>().StartsWith("scim.", StringComparison.Ordinal) && e["actor"]!["kind"]!.GetValue<string>() != "scim");
        Assert.Equal(
            ["scim.user.created", "member.added", "scim.user.updated", "scim.user.updated", "member.removed", "scim.user.updated", "member.added", "member.removed", "scim.user.deleted"],
            scimEvents);
    }

    [Fact]
    public async Task Creating_a_user_when_every_seat_is_taken_is_a_403_and_creates_nothing()
    {
        var scim = await ScimClient.CreateAsync(fixture.Node);
        await _admin.SetLimitAsync(scim.OrgId, "seats", 1);
        await scim.CreateUserAsync("first@example.com");
        var auditBefore = (await _admin.AuditEventsAsync(scim.OrgId)).Count;

        var refused = await ScimClient.AssertErrorAsync(await scim.SendAsync("POST", "/Users",
            """{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"second@example.com","active":true}"""), HttpStatusCode.Forbidden);

        Assert.Contains("seat limit", refused["detail"]!.GetValue<string>());
        Assert.Single(await MembersAsync(scim.OrgId));
        Assert.Equal(1, (await scim.GetAsync("/Users"))["totalResults"]!.GetValue<int>());
        Assert.Equal(auditBefore, (await _admin.AuditEventsAsync(scim.OrgId)).Count);
    }

    [Fact]
    public async Task Concurrent_creations_never_take_more_seats_than_the_limit_and_every_seat_has_its_user()
    {
        var scim = await ScimClient.CreateAsync(fixture.Node);
        await _admin.SetLimitAsync(scim.OrgId, "seats", 2);

        var responses = await Task.WhenAll(Enumerable.Range(0, 6).Select(i => scim.SendAsync("POST", "/Users", $$"""{"userName":"race{{i}}@example.com"}""")));

        Assert.Equal(2, responses.Count(r => r.StatusCode == HttpStatusCode.Created));
        Assert.Equal(4, responses.Count(r => r.StatusCode == HttpStatusCode.Forbidden));
        var users = (await scim.GetAsync("/Users"))["Resources"]!.AsArray().Select(u => u!["id"]!.GetValue<string>()).Order();
        Assert.Equal(users, (await MembersAsync(scim.OrgId)).Select(m => m!["userId"]!.GetValue<string>()).Order());
        Assert.Equal(2, await SeatsUsedAsync(scim.OrgId));
        Assert.Contains(await _admin.AuditEventsAsync(scim.OrgId), e => e["action"]!.GetValue<string>() == "quota.exhausted");
    }

    [Fact]
    public async Task Reactivating_a_user_when_every_seat_is_taken_is_a_403_and_the_user_stays_inactive()
    {
        var scim = await ScimClient.CreateAsync(fixture.Node);
        await _admin.SetLimitAsync(scim.OrgId, "seats", 1);
        var id = (await scim.CreateUserAsync("a@example.com"))["id"]!.GetValue<string>();
        await scim.ExpectAsync(await scim.SendAsync("PATCH", $"/Users/{id}",
            """{"Operations":[{"op":"replace","path":"active","value":false}]}"""), HttpStatusCode.OK);
        await scim.CreateUserAsync("b@example.com"); // takes the freed seat

        await ScimClient.AssertErrorAsync(await scim.SendAsync("PATCH", $"/Users/{id}",
            """{"Operations":[{"op":"replace","path":"active","value":true}]}"""), HttpStatusCode.Forbidden);

        Assert.False((await scim.GetAsync($"/Users/{id}"))["active"]!.GetValue<bool>());
        Assert.DoesNotContain(await MembersAsync(scim.OrgId), m => m!["userId"]!.GetValue<string>() == id);
    }

    [Fact]
    public async Task A_user_created_inactive_takes_no_seat()
    {
        var scim = await ScimClient.CreateAsync(fixture.Node);
        var created = await scim.CreateUserAsync("sleeper@example.com", active: false);
        Assert.False(created["active"]!.GetValue<bool>());
        Assert.Empty(await MembersAsync(scim.OrgId));
    }

    [Fact]
    public async Task A_duplicate_userName_in_another_case_is_a_409_uniqueness()
    {
        var scim = await ScimClient.CreateAsync(fixture.Node);
        await scim.CreateUserAsync("piet@example.com");

        await ScimClient.AssertErrorAsync(await scim.SendAsync("POST", "/Users",
            """{"userName":"PIET@example.com","emails":[{"value":"other@example.com","primary":true}]}"""), HttpStatusCode.Conflict, "uniqueness");
    }

    [Fact]
    public async Task An_existing_member_with_the_e_mail_is_linked_and_keeps_its_seat_and_role()
    {
        var scim = await ScimClient.CreateAsync(fixture.Node);
        var added = await _admin.PostAsync($"/v1/organisations/{scim.OrgId}/members", TestApi.Json(new { userId = "u-klaas", email = "klaas@example.com", role = "admin" }));
        Assert.Equal(HttpStatusCode.Created, added.StatusCode);

        var created = await scim.CreateUserAsync("Klaas@Example.com");

        Assert.Equal("u-klaas", created["id"]!.GetValue<string>());
        var member = Assert.Single(await MembersAsync(scim.OrgId))!;
        Assert.Equal("admin", member["role"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_stale_If_Match_is_a_412_and_the_current_one_succeeds()
    {
        var scim = await ScimClient.CreateAsync(fixture.Node);
        var id = (await scim.CreateUserAsync("etag@example.com"))["id"]!.GetValue<string>();
        const string patch = """{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"replace","path":"displayName","value":"E. Tag"}]}""";
        var first = await scim.SendAsync("PATCH", $"/Users/{id}", patch, ifMatch: "W/\"1\"");
        Assert.Equal("W/\"2\"", first.Headers.ETag?.ToString());

        await ScimClient.AssertErrorAsync(await scim.SendAsync("PATCH", $"/Users/{id}", patch, ifMatch: "W/\"1\""), HttpStatusCode.PreconditionFailed);
        await ScimClient.AssertErrorAsync(await scim.SendAsync("PUT", $"/Users/{id}", """{"userName":"etag@example.com"}""", ifMatch: "W/\"1\""), HttpStatusCode.PreconditionFailed);
        await ScimClient.AssertErrorAsync(await scim.SendAsync("DELETE", $"/Users/{id}", ifMatch: "W/\"1\""), HttpStatusCode.PreconditionFailed);

        var replaced = await scim.ExpectAsync(await scim.SendAsync("PUT", $"/Users/{id}", """{"userName":"etag@example.com","displayName":"Put"}""", ifMatch: "W/\"2\""), HttpStatusCode.OK);
        Assert.Equal("Put", replaced["displayName"]!.GetValue<string>());
        Assert.Null(replaced["name"]); // PUT replaces: what is not sent is gone
    }

    [Fact]
    public async Task Lists_page_with_a_one_based_startIndex_and_a_count_of_at_most_100()
    {
        var scim = await ScimClient.CreateAsync(fixture.Node);
        var ids = new List<string>();
        for (var i = 0; i < 5; i++) ids.Add((await scim.CreateUserAsync($"page{i}@example.com"))["id"]!.GetValue<string>());

        var page = await scim.GetAsync("/Users?startIndex=2&count=2");
        Assert.Equal(5, page["totalResults"]!.GetValue<int>());
        Assert.Equal(2, page["itemsPerPage"]!.GetValue<int>());
        Assert.Equal(2, page["startIndex"]!.GetValue<int>());
        Assert.Equal(ids[1..3], page["Resources"]!.AsArray().Select(r => r!["id"]!.GetValue<string>()));
        Assert.Equal("urn:ietf:params:scim:api:messages:2.0:ListResponse", page["schemas"]![0]!.GetValue<string>());

        var past = await scim.GetAsync("/Users?startIndex=10");
        Assert.Equal(5, past["totalResults"]!.GetValue<int>());
        Assert.Empty(past["Resources"]!.AsArray());
        Assert.Equal(5, (await scim.GetAsync("/Users?count=1000"))["itemsPerPage"]!.GetValue<int>());
        Assert.Equal(0, (await scim.GetAsync("/Users?count=0"))["itemsPerPage"]!.GetValue<int>());
        await ScimClient.AssertErrorAsync(await scim.SendAsync("GET", "/Users?count=many"), HttpStatusCode.BadRequest, "invalidValue");
    }

    [Fact]
    public async Task Every_error_under_scim_v2_has_the_scim_error_schema()
    {
        var scim = await ScimClient.CreateAsync(fixture.Node);
        var anonymous = fixture.Node.Client(null);
        await ScimClient.AssertErrorAsync(await anonymous.GetAsync("/scim/v2/Users"), HttpStatusCode.Unauthorized);
        await ScimClient.AssertErrorAsync(await fixture.Node.Client("tk_nosuchkey_0123456789abcdef0123456789abcdef").GetAsync("/scim/v2/Users"), HttpStatusCode.Unauthorized);
        await ScimClient.AssertErrorAsync(await scim.SendAsync("GET", "/Users/no-such-user"), HttpStatusCode.NotFound);
        await ScimClient.AssertErrorAsync(await scim.SendAsync("GET", "/NoSuchResource"), HttpStatusCode.NotFound);
        await ScimClient.AssertErrorAsync(await scim.SendAsync("DELETE", "/Users"), HttpStatusCode.MethodNotAllowed);
        await ScimClient.AssertErrorAsync(await scim.SendAsync("POST", "/Users", "{not json"), HttpStatusCode.BadRequest, "invalidSyntax");
        await ScimClient.AssertErrorAsync(await scim.SendAsync("POST", "/Users", """{"displayName":"no userName"}"""), HttpStatusCode.BadRequest, "invalidValue");
        await ScimClient.AssertErrorAsync(await scim.SendAsync("POST", "/Users", """{"userName":42}"""), HttpStatusCode.BadRequest, "invalidValue");
        await ScimClient.AssertErrorAsync(await scim.SendAsync("PATCH", "/Users/x", """{"Operations":[]}"""), HttpStatusCode.NotFound);
        var plain = await scim.Http.PostAsync("/scim/v2/Users", new StringContent("userName=x", System.Text.Encoding.UTF8, "text/plain"));
        await ScimClient.AssertErrorAsync(plain, HttpStatusCode.UnsupportedMediaType);
        var huge = await scim.SendAsync("POST", "/Users", "{\"userName\":\"" + new string('x', 2_000_000) + "\"}");
        await ScimClient.AssertErrorAsync(huge, HttpStatusCode.RequestEntityTooLarge);
    }

    [Fact]
    public async Task The_rate_limit_of_keys_applies_and_its_429_is_a_scim_error()
    {
        await using var database = await TestDatabase.CreateAsync();
        await using var node = await new TaskeeNode(database, new Dictionary<string, string?> { ["RateLimits:Plans:enterprise:AdminPerSecond"] = "1" }).StartAsync();
        var scim = await ScimClient.CreateAsync(node);

        var responses = new List<HttpResponseMessage>();
        for (var i = 0; i < 6; i++) responses.Add(await scim.SendAsync("GET", "/Users"));

        var limited = responses.First(r => r.StatusCode == HttpStatusCode.TooManyRequests);
        await ScimClient.AssertErrorAsync(limited, HttpStatusCode.TooManyRequests);
        Assert.NotNull(limited.Headers.RetryAfter);
    }

    [Fact]
    public async Task Plain_application_json_is_accepted_and_unknown_attributes_are_ignored()
    {
        var scim = await ScimClient.CreateAsync(fixture.Node);
        var response = await scim.Http.PostAsync("/scim/v2/Users", TestApi.Json(
            """{"userName":"json@example.com","favouriteColour":"teal","urn:example:custom:2.0:User":{"shoeSize":"44"},"name":{"givenName":"J","nickname":"x"}}"""));
        var created = await scim.ExpectAsync(response, HttpStatusCode.Created);
        Assert.Null(created["favouriteColour"]);
        Assert.Null(created["urn:example:custom:2.0:User"]);
        Assert.Equal("""{"givenName":"J"}""", created["name"]!.ToJsonString());
        Assert.NotNull(response.Headers.Location);
    }

    [Fact]
    public async Task A_key_without_the_scim_scope_is_refused_with_403()
    {
        var orgId = TestApi.NewOrgId("scim");
        await _admin.CreateOrganisationAsync(orgId, "enterprise");
        var owner = fixture.Node.Client(await _admin.CreateKeyAsync(orgId, "owner", "admin"));

        await ScimClient.AssertErrorAsync(await owner.GetAsync("/scim/v2/Users"), HttpStatusCode.Forbidden);
        await ScimClient.AssertErrorAsync(await owner.PostAsync("/scim/v2/Users", ScimClient.Body("""{"userName":"x@example.com"}""")), HttpStatusCode.Forbidden);
        await ScimClient.AssertErrorAsync(await _admin.GetAsync("/scim/v2/Users"), HttpStatusCode.Forbidden); // platform: no directory
    }

    [Fact]
    public async Task The_scim_scope_grants_nothing_outside_scim()
    {
        var scim = await ScimClient.CreateAsync(fixture.Node);
        await (await scim.Http.GetAsync($"/v1/organisations/{scim.OrgId}")).AssertProblemAsync(HttpStatusCode.Forbidden);
        await (await scim.Http.GetAsync($"/v1/organisations/{scim.OrgId}/members")).AssertProblemAsync(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task An_organisation_without_the_scim_feature_is_refused_with_403()
    {
        var scim = await ScimClient.CreateAsync(fixture.Node, plan: "pro");
        var error = await ScimClient.AssertErrorAsync(await scim.SendAsync("GET", "/Users"), HttpStatusCode.Forbidden);
        Assert.Contains("'scim'", error["detail"]!.GetValue<string>());
        await ScimClient.AssertErrorAsync(await scim.SendAsync("POST", "/Users", """{"userName":"x@example.com"}"""), HttpStatusCode.Forbidden);
        Assert.Empty(await MembersAsync(scim.OrgId));
    }

    [Fact]
    public async Task Discovery_states_what_is_supported()
    {
        var scim = await ScimClient.CreateAsync(fixture.Node);
        var config = await scim.GetAsync("/ServiceProviderConfig");
        Assert.True(config["patch"]!["supported"]!.GetValue<bool>());
        Assert.True(config["filter"]!["supported"]!.GetValue<bool>());
        Assert.Equal(100, config["filter"]!["maxResults"]!.GetValue<int>());
        Assert.True(config["etag"]!["supported"]!.GetValue<bool>());
        Assert.False(config["bulk"]!["supported"]!.GetValue<bool>());
        Assert.False(config["sort"]!["supported"]!.GetValue<bool>());
        Assert.False(config["changePassword"]!["supported"]!.GetValue<bool>());
        Assert.Equal("oauthbearertoken", config["authenticationSchemes"]![0]!["type"]!.GetValue<string>());

        var types = await scim.GetAsync("/ResourceTypes");
        Assert.Equal(["User", "Group"], types["Resources"]!.AsArray().Select(t => t!["id"]!.GetValue<string>()));
        var schemas = await scim.GetAsync("/Schemas");
        Assert.Equal(3, schemas["totalResults"]!.GetValue<int>());
        var user = await scim.GetAsync("/Schemas/urn:ietf:params:scim:schemas:core:2.0:User");
        Assert.Contains(user["attributes"]!.AsArray(), a => a!["name"]!.GetValue<string>() == "userName" && a["uniqueness"]!.GetValue<string>() == "server");
    }
}

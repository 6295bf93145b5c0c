using System.Net;
using System.Text.Json.Nodes;
using Taskee.Tests.Infrastructure;

namespace Taskee.Tests.Quota;

/// <summary>PATCH .../members/{userId}: an admin changes a member's role, with the organisation's ETag and the owner rules.</summary>
public sealed class MemberRoleTests(NodeFixture fixture) : IClassFixture<NodeFixture>
{
    private readonly HttpClient _admin = fixture.Node.Admin();

    private async Task<string> OrganisationWithMembersAsync(string plan, params (string UserId, string Role)[] members)
    {
        var id = TestApi.NewOrgId("r");
        await _admin.CreateOrganisationAsync(id, plan);
        foreach (var (userId, role) in members)
            Assert.Equal(HttpStatusCode.Created,
                (await _admin.PostAsync($"/v1/organisations/{id}/members", TestApi.Json(new { userId, email = $"{userId}@example.com", role }))).StatusCode);
        return id;
    }

    private static HttpRequestMessage ChangeRole(string orgId, string userId, string role, string? ifMatch = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Patch, $"/v1/organisations/{orgId}/members/{userId}") { Content = TestApi.Json(new { role }) };
        if (ifMatch is not null) request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
        return request;
    }

    private async Task<string?> RoleOfAsync(string orgId, string userId) =>
        (await _admin.GetJsonAsync($"/v1/organisations/{orgId}/members"))["items"]!.AsArray()
            .FirstOrDefault(m => m!["userId"]!.GetValue<string>() == userId)?["role"]?.GetValue<string>();

    private async Task<List<JsonNode>> RoleChangesAsync(string orgId) =>
        (await _admin.AuditEventsAsync(orgId)).Where(e => e["action"]!.GetValue<string>() == "member.role_changed").ToList();

    [Fact]
    public async Task An_admin_changes_a_role_with_the_member_lists_etag_and_the_change_is_audited_with_before_and_after()
    {
        var id = await OrganisationWithMembersAsync("pro", ("ann", "member"));
        var admin = fixture.Node.Client(await _admin.CreateKeyAsync(id, "admin"));
        var list = await admin.GetAsync($"/v1/organisations/{id}/members");
        var etag = list.Headers.ETag!.Tag;

        var response = await admin.SendAsync(ChangeRole(id, "ann", "billing", etag));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("billing", (await response.ReadJsonAsync())["role"]!.GetValue<string>());
        Assert.NotEqual(etag, response.Headers.ETag!.Tag);
        Assert.Equal(response.Headers.ETag.Tag, (await _admin.GetAsync($"/v1/organisations/{id}")).Headers.ETag!.Tag);
        Assert.Equal("billing", await RoleOfAsync(id, "ann"));
        var change = Assert.Single(await RoleChangesAsync(id));
        Assert.Equal($"organisations/{id}/members/ann", change["target"]!.GetValue<string>());
        Assert.Equal("member", change["before"]!["role"]!.GetValue<string>());
        Assert.Equal("billing", change["after"]!["role"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_stale_if_match_is_a_412_and_the_role_stays()
    {
        var id = await OrganisationWithMembersAsync("pro", ("ann", "member"));
        var etag = (await _admin.GetAsync($"/v1/organisations/{id}/members")).Headers.ETag!.Tag;
        (await _admin.PatchAsync($"/v1/organisations/{id}", TestApi.Json(new { name = "Renamed" }))).EnsureSuccessStatusCode();

        await (await _admin.SendAsync(ChangeRole(id, "ann", "admin", etag))).AssertProblemAsync(HttpStatusCode.PreconditionFailed);

        Assert.Equal("member", await RoleOfAsync(id, "ann"));
        Assert.Empty(await RoleChangesAsync(id));
    }

    [Fact]
    public async Task Only_an_owner_makes_or_unmakes_an_owner()
    {
        var id = await OrganisationWithMembersAsync("pro", ("olga", "owner"), ("otto", "owner"), ("ann", "member"));
        var admin = fixture.Node.Client(await _admin.CreateKeyAsync(id, "admin"));
        var owner = fixture.Node.Client(await _admin.CreateKeyAsync(id, "owner"));

        var promote = await (await admin.SendAsync(ChangeRole(id, "ann", "owner"))).AssertProblemAsync(HttpStatusCode.Forbidden);
        Assert.Contains("roles:write", promote["detail"]!.GetValue<string>());
        await (await admin.SendAsync(ChangeRole(id, "otto", "admin"))).AssertProblemAsync(HttpStatusCode.Forbidden);
        Assert.Equal("member", await RoleOfAsync(id, "ann"));
        Assert.Equal("owner", await RoleOfAsync(id, "otto"));

        Assert.Equal(HttpStatusCode.OK, (await owner.SendAsync(ChangeRole(id, "ann", "owner"))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await owner.SendAsync(ChangeRole(id, "otto", "admin"))).StatusCode);
        Assert.Equal(2, (await RoleChangesAsync(id)).Count);
    }

    [Fact]
    public async Task The_last_owner_cannot_be_demoted_until_someone_else_is_owner()
    {
        var id = await OrganisationWithMembersAsync("pro", ("olga", "owner"), ("ann", "admin"));

        var refused = await (await _admin.SendAsync(ChangeRole(id, "olga", "admin"))).AssertProblemAsync(HttpStatusCode.Conflict);
        Assert.Contains("someone else owner first", refused["detail"]!.GetValue<string>());
        Assert.Equal("owner", await RoleOfAsync(id, "olga"));

        Assert.Equal(HttpStatusCode.OK, (await _admin.SendAsync(ChangeRole(id, "ann", "owner"))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await _admin.SendAsync(ChangeRole(id, "olga", "admin"))).StatusCode);
        Assert.Equal("admin", await RoleOfAsync(id, "olga"));
    }

    [Fact]
    public async Task A_custom_role_of_the_organisation_can_be_given_and_one_of_another_organisation_cannot()
    {
        var id = await OrganisationWithMembersAsync("enterprise", ("ann", "member"));
        var other = await OrganisationWithMembersAsync("enterprise");
        (await _admin.PutAsync($"/v1/organisations/{id}/roles/planner", TestApi.Json(new { permissions = new[] { "org:read" } }))).EnsureSuccessStatusCode();
        (await _admin.PutAsync($"/v1/organisations/{other}/roles/spy", TestApi.Json(new { permissions = new[] { "org:read" } }))).EnsureSuccessStatusCode();

        var unknown = await (await _admin.SendAsync(ChangeRole(id, "ann", "spy"))).AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.Contains("'spy' is not a role", unknown["errors"]!["role"]![0]!.GetValue<string>());

        Assert.Equal(HttpStatusCode.OK, (await _admin.SendAsync(ChangeRole(id, "ann", "planner"))).StatusCode);
        Assert.Equal("planner", await RoleOfAsync(id, "ann"));
    }

    [Theory]
    [InlineData("""{"role":""}""")]
    [InlineData("""{"role":"Emperor of all"}""")]
    [InlineData("""{}""")]
    [InlineData("""{"role":"emperor"}""")]
    public async Task A_bad_role_is_a_400_and_nothing_changes(string body)
    {
        var id = await OrganisationWithMembersAsync("pro", ("ann", "member"));
        var version = (await _admin.GetJsonAsync($"/v1/organisations/{id}"))["version"]!.GetValue<long>();

        var response = await _admin.PatchAsync($"/v1/organisations/{id}/members/ann", TestApi.Json(body));

        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.Contains("role", problem.ToJsonString());
        Assert.Equal("member", await RoleOfAsync(id, "ann"));
        Assert.Equal(version, (await _admin.GetJsonAsync($"/v1/organisations/{id}"))["version"]!.GetValue<long>());
    }

    [Fact]
    public async Task A_malformed_if_match_is_a_400_and_a_stranger_is_a_404()
    {
        var id = await OrganisationWithMembersAsync("pro", ("ann", "member"));

        await (await _admin.SendAsync(ChangeRole(id, "ann", "admin", "not-a-tag"))).AssertProblemAsync(HttpStatusCode.BadRequest);
        await (await _admin.SendAsync(ChangeRole(id, "nobody", "admin"))).AssertProblemAsync(HttpStatusCode.NotFound);
        Assert.Equal("member", await RoleOfAsync(id, "ann"));
    }

    [Fact]
    public async Task An_admin_of_organisation_b_gets_404_and_a_members_role_is_unchanged()
    {
        var a = await OrganisationWithMembersAsync("pro", ("ann", "member"));
        var b = await OrganisationWithMembersAsync("pro");
        var adminOfB = fixture.Node.Client(await _admin.CreateKeyAsync(b, "owner"));

        var problem = await (await adminOfB.SendAsync(ChangeRole(a, "ann", "admin"))).AssertProblemAsync(HttpStatusCode.NotFound);

        Assert.Contains(a, problem["detail"]!.GetValue<string>());
        Assert.Equal("member", await RoleOfAsync(a, "ann"));
        Assert.Empty(await RoleChangesAsync(a));
    }

    [Fact]
    public async Task Giving_a_member_the_role_it_has_changes_nothing()
    {
        var id = await OrganisationWithMembersAsync("pro", ("ann", "member"));
        var etag = (await _admin.GetAsync($"/v1/organisations/{id}/members")).Headers.ETag!.Tag;

        var response = await _admin.SendAsync(ChangeRole(id, "ann", "member", etag));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(etag, response.Headers.ETag!.Tag);
        Assert.Empty(await RoleChangesAsync(id));
    }
}

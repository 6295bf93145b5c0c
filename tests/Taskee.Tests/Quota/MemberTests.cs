using System.Net;
using Taskee.Tests.Infrastructure;

namespace Taskee.Tests.Quota;

public sealed class MemberTests(NodeFixture fixture) : IClassFixture<NodeFixture>
{
    private readonly HttpClient _admin = fixture.Node.Admin();

    private static object Member(string userId) => new { userId, email = $"{userId}@example.com", role = "member" };

    [Fact]
    public async Task Members_take_seats_up_to_the_limit_and_a_removal_frees_one()
    {
        var id = TestApi.NewOrgId("m");
        await _admin.CreateOrganisationAsync(id);
        await _admin.SetLimitAsync(id, "seats", 2);

        Assert.Equal(HttpStatusCode.Created, (await _admin.PostAsync($"/v1/organisations/{id}/members", TestApi.Json(Member("ann")))).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await _admin.PostAsync($"/v1/organisations/{id}/members", TestApi.Json(Member("bob")))).StatusCode);
        var full = await _admin.PostAsync($"/v1/organisations/{id}/members", TestApi.Json(Member("cas")));
        var problem = await full.AssertProblemAsync(HttpStatusCode.Conflict);
        Assert.Contains("seats", problem["detail"]!.GetValue<string>());

        Assert.Equal(HttpStatusCode.NoContent, (await _admin.DeleteAsync($"/v1/organisations/{id}/members/ann")).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await _admin.PostAsync($"/v1/organisations/{id}/members", TestApi.Json(Member("cas")))).StatusCode);

        var entitlements = await _admin.GetJsonAsync($"/v1/organisations/{id}/entitlements");
        Assert.Equal(2, entitlements["usage"]!["seats"]!["used"]!.GetValue<long>());
        var members = await _admin.GetJsonAsync($"/v1/organisations/{id}/members");
        Assert.Equal(["bob", "cas"], members["items"]!.AsArray().Select(m => m!["userId"]!.GetValue<string>()));
        var actions = (await _admin.AuditEventsAsync(id)).Select(e => e["action"]!.GetValue<string>()).Where(a => a.StartsWith("member.")).ToList();
        Assert.Equal(["member.added", "member.added", "member.removed", "member.added"], actions);
    }

    [Fact]
    public async Task Only_an_owner_adds_an_owner_an_admin_is_refused_and_nothing_is_added()
    {
        var id = TestApi.NewOrgId("m");
        await _admin.CreateOrganisationAsync(id);
        var admin = fixture.Node.Client(await _admin.CreateKeyAsync(id, "admin"));
        var owner = fixture.Node.Client(await _admin.CreateKeyAsync(id, "owner"));
        object Owner(string userId) => new { userId, email = $"{userId}@example.com", role = "owner" };

        var refused = await (await admin.PostAsync($"/v1/organisations/{id}/members", TestApi.Json(Owner("eve")))).AssertProblemAsync(HttpStatusCode.Forbidden);
        Assert.Contains("roles:write", refused["detail"]!.GetValue<string>());
        Assert.DoesNotContain("eve", await _admin.GetStringAsync($"/v1/organisations/{id}/members"));

        Assert.Equal(HttpStatusCode.Created, (await admin.PostAsync($"/v1/organisations/{id}/members", TestApi.Json(Member("dan")))).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await owner.PostAsync($"/v1/organisations/{id}/members", TestApi.Json(Owner("fay")))).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await _admin.PostAsync($"/v1/organisations/{id}/members", TestApi.Json(Owner("gus")))).StatusCode);
    }

    [Fact]
    public async Task Concurrent_additions_never_exceed_the_seat_limit()
    {
        var id = TestApi.NewOrgId("m");
        await _admin.CreateOrganisationAsync(id);
        await _admin.SetLimitAsync(id, "seats", 5);

        var responses = await Task.WhenAll(Enumerable.Range(0, 20).Select(i => _admin.PostAsync($"/v1/organisations/{id}/members", TestApi.Json(Member($"user{i}")))));

        Assert.Equal(5, responses.Count(r => r.StatusCode == HttpStatusCode.Created));
        Assert.Equal(15, responses.Count(r => r.StatusCode == HttpStatusCode.Conflict));
        Assert.Equal(5, (await _admin.GetJsonAsync($"/v1/organisations/{id}/members"))["items"]!.AsArray().Count);
    }

    [Theory]
    [InlineData("""{"userId":"","email":"a@b.nl","role":"member"}""")]
    [InlineData("""{"userId":"x","email":"not-an-email","role":"member"}""")]
    [InlineData("""{"userId":"x","email":"a@b.nl","role":"emperor"}""")]
    [InlineData("""{"userId":"x y","email":"a@b.nl","role":"member"}""")]
    public async Task A_bad_member_is_a_400_and_takes_no_seat(string body)
    {
        var id = TestApi.NewOrgId("m");
        await _admin.CreateOrganisationAsync(id);

        await (await _admin.PostAsync($"/v1/organisations/{id}/members", TestApi.Json(body))).AssertProblemAsync(HttpStatusCode.BadRequest);

        Assert.Equal(0, (await _admin.GetJsonAsync($"/v1/organisations/{id}/entitlements"))["usage"]!["seats"]!["used"]!.GetValue<long>());
    }

    [Fact]
    public async Task Adding_the_same_member_twice_is_a_409_and_removing_a_stranger_is_a_404()
    {
        var id = TestApi.NewOrgId("m");
        await _admin.CreateOrganisationAsync(id);
        await _admin.PostAsync($"/v1/organisations/{id}/members", TestApi.Json(Member("ann")));

        await (await _admin.PostAsync($"/v1/organisations/{id}/members", TestApi.Json(Member("ann")))).AssertProblemAsync(HttpStatusCode.Conflict);
        await (await _admin.DeleteAsync($"/v1/organisations/{id}/members/nobody")).AssertProblemAsync(HttpStatusCode.NotFound);
        Assert.Equal(1, (await _admin.GetJsonAsync($"/v1/organisations/{id}/entitlements"))["usage"]!["seats"]!["used"]!.GetValue<long>());
    }
}

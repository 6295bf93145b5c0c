using System.Net;
using Taskee.Tests.Infrastructure;

namespace Taskee.Tests.Scim;

/// <summary>Organisation A's SCIM key never sees or changes organisation B's users or groups, whatever ids or filters it sends.</summary>
public sealed class ScimIsolationTests(NodeFixture fixture) : IClassFixture<NodeFixture>
{
    private readonly HttpClient _admin = fixture.Node.Admin();

    public static TheoryData<string, string, string?> Writes => new()
    {
        { "GET", "/Users/{user}", null },
        { "PUT", "/Users/{user}", """{"userName":"hijacked@example.com"}""" },
        { "PATCH", "/Users/{user}", """{"Operations":[{"op":"replace","path":"active","value":false}]}""" },
        { "DELETE", "/Users/{user}", null },
        { "GET", "/Groups/{group}", null },
        { "PUT", "/Groups/{group}", """{"displayName":"hijacked"}""" },
        { "PATCH", "/Groups/{group}", """{"Operations":[{"op":"remove","path":"members"}]}""" },
        { "DELETE", "/Groups/{group}", null },
    };

    [Theory]
    [MemberData(nameof(Writes))]
    public async Task A_key_of_organisation_a_gets_404_on_the_ids_of_organisation_b_and_b_is_unchanged(string method, string template, string? body)
    {
        var a = await ScimClient.CreateAsync(fixture.Node);
        var b = await ScimClient.CreateAsync(fixture.Node);
        var user = (await b.CreateUserAsync("nurse@b.example"))["id"]!.GetValue<string>();
        var group = (await b.CreateGroupAsync("B team", user))["id"]!.GetValue<string>();
        var before = (await b.GetAsync($"/Users/{user}")).ToJsonString() + (await b.GetAsync($"/Groups/{group}")).ToJsonString();
        var auditBefore = (await _admin.AuditEventsAsync(b.OrgId)).Count;

        var response = await a.SendAsync(method, template.Replace("{user}", user).Replace("{group}", group), body);

        await ScimClient.AssertErrorAsync(response, HttpStatusCode.NotFound);
        Assert.Equal(before, (await b.GetAsync($"/Users/{user}")).ToJsonString() + (await b.GetAsync($"/Groups/{group}")).ToJsonString());
        Assert.Equal(auditBefore, (await _admin.AuditEventsAsync(b.OrgId)).Count);
        Assert.Single((await _admin.GetJsonAsync($"/v1/organisations/{b.OrgId}/members"))["items"]!.AsArray());
    }

    [Fact]
    public async Task Lists_and_filters_of_organisation_a_never_return_organisation_b()
    {
        var a = await ScimClient.CreateAsync(fixture.Node);
        var b = await ScimClient.CreateAsync(fixture.Node);
        var user = (await b.CreateUserAsync("same@example.com"))["id"]!.GetValue<string>();
        await b.CreateGroupAsync("Shared name", user);

        Assert.Equal(0, (await a.GetAsync("/Users"))["totalResults"]!.GetValue<int>());
        Assert.Equal(0, (await a.GetAsync("/Users?filter=" + Uri.EscapeDataString($"id eq \"{user}\" or userName pr")))["totalResults"]!.GetValue<int>());
        Assert.Equal(0, (await a.GetAsync("/Groups?filter=" + Uri.EscapeDataString("displayName eq \"Shared name\"")))["totalResults"]!.GetValue<int>());

        // The same userName in A is a different user, not a conflict with B.
        var mine = await a.CreateUserAsync("same@example.com");
        Assert.NotEqual(user, mine["id"]!.GetValue<string>());
        await ScimClient.AssertErrorAsync(await a.SendAsync("POST", "/Groups", $$"""{"displayName":"steal","members":[{"value":"{{user}}"}]}"""),
            HttpStatusCode.BadRequest, "invalidValue");
    }

    [Fact]
    public async Task The_group_role_mapping_of_organisation_b_is_404_for_a_key_of_organisation_a()
    {
        var a = TestApi.NewOrgId("a");
        var b = TestApi.NewOrgId("b");
        await _admin.CreateOrganisationAsync(a, "enterprise");
        await _admin.CreateOrganisationAsync(b, "enterprise");
        var owner = fixture.Node.Client(await _admin.CreateKeyAsync(a, "owner"));

        await (await owner.GetAsync($"/v1/organisations/{b}/scim/group-roles")).AssertProblemAsync(HttpStatusCode.NotFound);
        await (await owner.PutAsync($"/v1/organisations/{b}/scim/group-roles", TestApi.Json(new Dictionary<string, string> { ["X"] = "owner" })))
            .AssertProblemAsync(HttpStatusCode.NotFound);
        Assert.Equal("{}", (await _admin.GetJsonAsync($"/v1/organisations/{b}/scim/group-roles")).ToJsonString());
    }
}

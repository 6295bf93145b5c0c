using System.Net;
using System.Text.Json.Nodes;
using Taskee.Tests.Infrastructure;

namespace Taskee.Tests.Scim;

/// <summary>The group calls of Microsoft Entra ID's provisioning service and its SCIM validator, in the order it makes them.</summary>
public sealed class ScimEntraGroupTests(NodeFixture fixture) : IClassFixture<NodeFixture>
{
    private const string PatchOp = "urn:ietf:params:scim:api:messages:2.0:PatchOp";

    private static string Query(string filter, string? excluded = "members") =>
        "/Groups?" + (excluded is null ? "" : $"excludedAttributes={excluded}&") + "filter=" + Uri.EscapeDataString(filter);

    [Fact]
    public async Task Entra_checks_a_membership_with_id_and_members_eq_while_it_leaves_members_out()
    {
        var scim = await ScimClient.CreateAsync(fixture.Node);
        var inside = (await scim.CreateUserAsync("inside@example.com"))["id"]!.GetValue<string>();
        var outside = (await scim.CreateUserAsync("outside@example.com"))["id"]!.GetValue<string>();
        var group = (await scim.CreateGroupAsync("Entra Group", inside))["id"]!.GetValue<string>();
        await scim.CreateGroupAsync("Other Group", outside);

        var found = await scim.GetAsync(Query($"id eq \"{group}\" and members eq \"{inside}\""));
        Assert.Equal(1, found["totalResults"]!.GetValue<int>());
        Assert.Equal(group, found["Resources"]![0]!["id"]!.GetValue<string>());
        Assert.Null(found["Resources"]![0]!["members"]);
        Assert.Equal("Entra Group", found["Resources"]![0]!["displayName"]!.GetValue<string>());

        Assert.Equal(0, (await scim.GetAsync(Query($"id eq \"{group}\" and members eq \"{outside}\"")))["totalResults"]!.GetValue<int>());
        Assert.Equal(1, (await scim.GetAsync(Query($"members[value eq \"{outside}\"]", excluded: null)))["totalResults"]!.GetValue<int>());
        // ids compare exactly (RFC 7643: caseExact), display names do not.
        Assert.Equal(0, (await scim.GetAsync(Query($"id eq \"{group.ToUpperInvariant()}\"")))["totalResults"]!.GetValue<int>());
        Assert.Equal(1, (await scim.GetAsync(Query("displayName eq \"entra group\"")))["totalResults"]!.GetValue<int>());
    }

    [Fact]
    public async Task Entra_adds_and_removes_members_in_bulk_arrays_and_several_operations()
    {
        var scim = await ScimClient.CreateAsync(fixture.Node);
        var users = new List<string>();
        for (var i = 0; i < 12; i++) users.Add((await scim.CreateUserAsync($"bulk{i}@example.com"))["id"]!.GetValue<string>());
        var group = (await scim.CreateGroupAsync("Bulk"))["id"]!.GetValue<string>();

        string Members(IEnumerable<string> ids) => new JsonArray(ids.Select(id => (JsonNode)new JsonObject { ["value"] = id }).ToArray()).ToJsonString();
        await scim.ExpectAsync(await scim.SendAsync("PATCH", $"/Groups/{group}", $$"""
            {"schemas":["{{PatchOp}}"],"Operations":[{"op":"Add","path":"members","value":{{Members(users)}}}]}
            """), HttpStatusCode.OK);
        // Adding members again is no error and adds no duplicate; one PATCH may remove by list and by value filter.
        var patched = await scim.ExpectAsync(await scim.SendAsync("PATCH", $"/Groups/{group}", $$"""
            {"schemas":["{{PatchOp}}"],"Operations":[
              {"op":"Add","path":"members","value":{{Members(users.Take(2))}}},
              {"op":"Remove","path":"members","value":{{Members(users.Skip(2).Take(5))}}},
              {"op":"Remove","path":"members[value eq \"{{users[11]}}\"]"}
            ]}
            """), HttpStatusCode.OK);

        // Members are a set: compared in id order, as the store keeps them.
        var expected = users.Take(2).Concat(users.Skip(7).Take(4)).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(expected, patched["members"]!.AsArray().Select(m => m!["value"]!.GetValue<string>()).Order(StringComparer.Ordinal));
        var read = await scim.GetAsync($"/Groups/{group}");
        Assert.Equal(expected, read["members"]!.AsArray().Select(m => m!["value"]!.GetValue<string>()).Order(StringComparer.Ordinal));
        Assert.Contains(group, (await scim.GetAsync($"/Users/{users[0]}"))["groups"]!.AsArray().Select(g => g!["value"]!.GetValue<string>()));
        Assert.Empty((await scim.GetAsync($"/Users/{users[3]}"))["groups"]!.AsArray());
    }

    [Fact]
    public async Task Entra_removes_every_member_with_a_remove_of_members_without_a_value()
    {
        var scim = await ScimClient.CreateAsync(fixture.Node);
        var a = (await scim.CreateUserAsync("all-a@example.com"))["id"]!.GetValue<string>();
        var group = (await scim.CreateGroupAsync("Emptied", a))["id"]!.GetValue<string>();
        var emptied = await scim.ExpectAsync(await scim.SendAsync("PATCH", $"/Groups/{group}", $$"""
            {"schemas":["{{PatchOp}}"],"Operations":[{"op":"Remove","path":"members"}]}
            """), HttpStatusCode.OK);
        Assert.True(emptied["members"] is null || emptied["members"]!.AsArray().Count == 0);
        Assert.Empty((await scim.GetAsync($"/Groups/{group}"))["members"]!.AsArray());
    }
}

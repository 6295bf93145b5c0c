using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Taskee.Api.Privacy;
using Taskee.Grains.Audit;
using Taskee.Tests.Infrastructure;
using Taskee.Tests.Scim;

namespace Taskee.Tests.Privacy;

/// <summary>Access bundles hold every inventory field about the person; requests stay within their organisation; bad input is a 400.</summary>
public sealed class AccessRequestTests(PrivacyNodeFixture fixture) : IClassFixture<PrivacyNodeFixture>
{
    private readonly HttpClient _admin = fixture.Admin;

    /// <summary>A SCIM-provisioned member in a group who signed in, with a key an admin named after her.</summary>
    private async Task<(ScimClient Scim, string MemberId, string Email)> PersonAsync()
    {
        var scim = await ScimClient.CreateAsync(fixture.Node);
        var email = $"noor.{Guid.NewGuid():N}@zorgnoord.example";
        var memberId = (await scim.CreateUserAsync(email))["id"]!.GetValue<string>();
        await scim.CreateGroupAsync("Night shift", memberId);
        await fixture.SignedInAsync(scim.OrgId, email);
        var key = await _admin.PostAsync($"/v1/organisations/{scim.OrgId}/api-keys", TestApi.Json(new { name = $"script of {email}", scopes = new[] { "member" } }));
        Assert.Equal(HttpStatusCode.Created, key.StatusCode);
        return (scim, memberId, email);
    }

    [Fact]
    public async Task The_access_bundle_holds_every_field_the_inventory_places_in_it_and_its_audit_events_verify()
    {
        var (scim, memberId, email) = await PersonAsync();

        var request = await _admin.FileAndCompleteAsync(scim.OrgId, "access", new { memberId });
        var text = await _admin.GetStringAsync(request["bundle"]!["json"]!.GetValue<string>());
        var bundle = JsonNode.Parse(text)!;

        var placed = DataInventory.Fields.Where(f => f.BundleField is not null).ToList();
        Assert.NotEmpty(placed);
        foreach (var field in placed)
        {
            var (section, name) = (field.BundleField!.Split('.')[0], field.BundleField.Split('.')[1]);
            var holder = bundle[section];
            Assert.True(holder is not null, $"bundle has no section '{section}' for {field.Table}.{field.Column}");
            var items = holder is JsonArray array ? array.Select(i => i!).ToList() : [holder!];
            Assert.True(items.Count > 0, $"bundle section '{section}' is empty, so {field.Table}.{field.Column} is not shown");
            Assert.All(items, item => Assert.True(item.AsObject().ContainsKey(name), $"bundle {section} lacks '{name}' ({field.Table}.{field.Column})"));
        }
        Assert.Equal(email, bundle["member"]!["email"]!.GetValue<string>());
        Assert.Equal(memberId, bundle["member"]!["userId"]!.GetValue<string>());
        Assert.Equal(email, bundle["scimUser"]!["emails"]![0]!["value"]!.GetValue<string>());
        Assert.Contains(email, bundle["apiKeys"]![0]!["name"]!.GetValue<string>());
        var events = bundle["auditEvents"]!.AsArray();
        Assert.Contains(events, e => e!["action"]!.GetValue<string>() == "auth.signed_in" && e["actor"]!["id"]!.GetValue<string>() == memberId);
        Assert.Contains(events, e => e!["action"]!.GetValue<string>() == "scim.user.created");
        // Each event is an audit export line: taken as sent (re-serialising could change the before/after text hashed), it verifies.
        using (var document = JsonDocument.Parse(text))
            foreach (var line in document.RootElement.GetProperty("auditEvents").EnumerateArray())
                Assert.True(AuditChainVerifier.Verify([line.GetRawText()], startsAtGenesis: false).IsIntact, line.GetRawText());

        var csv = (await _admin.GetStringAsync(request["bundle"]!["auditEventsCsv"]!.GetValue<string>())).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("id,orgId,seq", csv[0]);
        Assert.Equal(events.Count, csv.Length - 1);
        Assert.Contains(csv, l => l.Contains(email));
    }

    [Fact]
    public async Task Another_organisations_admin_can_neither_file_about_its_members_nor_read_its_requests()
    {
        var (b, memberId, email) = await PersonAsync();
        var bRequest = await _admin.FileAndCompleteAsync(b.OrgId, "access", new { email });
        var bRequestId = bRequest["id"]!.GetValue<string>();
        var a = TestApi.NewOrgId("dsr");
        await _admin.CreateOrganisationAsync(a, "enterprise");
        var aAdmin = fixture.Node.Client(await _admin.CreateKeyAsync(a, "admin"));
        var auditOfB = (await _admin.AuditEventsAsync(b.OrgId)).Count;

        // A's own path, B's person: no such member in A.
        foreach (var subject in new object[] { new { email }, new { memberId } })
            await (await aAdmin.FileAsync(a, new { kind = "erasure", subject })).AssertProblemAsync(HttpStatusCode.NotFound);
        // B's path: not A's organisation.
        await (await aAdmin.FileAsync(b.OrgId, new { kind = "erasure", subject = new { memberId } })).AssertProblemAsync(HttpStatusCode.NotFound);
        await (await aAdmin.GetAsync($"{PrivacyRequests.Path(b.OrgId)}/{bRequestId}")).AssertProblemAsync(HttpStatusCode.NotFound);
        await (await aAdmin.GetAsync($"{PrivacyRequests.Path(b.OrgId)}/{bRequestId}/bundle")).AssertProblemAsync(HttpStatusCode.NotFound);
        // A's path, B's request id.
        await (await aAdmin.GetAsync($"{PrivacyRequests.Path(a)}/{bRequestId}")).AssertProblemAsync(HttpStatusCode.NotFound);
        await (await aAdmin.GetAsync($"{PrivacyRequests.Path(a)}/{bRequestId}/bundle")).AssertProblemAsync(HttpStatusCode.NotFound);

        Assert.Equal(auditOfB, (await _admin.AuditEventsAsync(b.OrgId)).Count);
        Assert.Contains(email, await _admin.GetStringAsync($"/v1/organisations/{b.OrgId}/members"));
    }

    [Fact]
    public async Task Bad_requests_are_400_problems_naming_the_field_and_change_nothing()
    {
        var (scim, memberId, _) = await PersonAsync();
        var auditBefore = (await _admin.AuditEventsAsync(scim.OrgId)).Count;

        foreach (var (body, field) in new (object, string)[]
        {
            (new { subject = new { memberId } }, "kind"),
            (new { kind = "delete", subject = new { memberId } }, "kind"),
            (new { kind = "erasure" }, "subject"),
            (new { kind = "erasure", subject = new { } }, "subject"),
            (new { kind = "erasure", subject = new { memberId, email = "x@example.com" } }, "subject"),
        })
        {
            var problem = await (await _admin.FileAsync(scim.OrgId, body)).AssertProblemAsync(HttpStatusCode.BadRequest);
            Assert.True(problem["errors"]![field] is not null, problem.ToJsonString());
        }
        var notJson = await _admin.PostAsync(PrivacyRequests.Path(scim.OrgId), TestApi.Json("{\"kind\": 5"));
        await notJson.AssertProblemAsync(HttpStatusCode.BadRequest);

        Assert.Equal(auditBefore, (await _admin.AuditEventsAsync(scim.OrgId)).Count);
        Assert.Contains(memberId, await _admin.GetStringAsync($"/v1/organisations/{scim.OrgId}/members"));
    }

    [Fact]
    public async Task A_member_without_privacy_permissions_is_refused_and_an_erasure_has_no_bundle()
    {
        var (scim, memberId, _) = await PersonAsync();
        var member = fixture.Node.Client(await _admin.CreateKeyAsync(scim.OrgId, "member"));
        await (await member.FileAsync(scim.OrgId, new { kind = "access", subject = new { memberId } })).AssertProblemAsync(HttpStatusCode.Forbidden);

        var erasure = await _admin.FileAndCompleteAsync(scim.OrgId, "erasure", new { memberId });
        Assert.Null(erasure["bundle"]);
        await (await _admin.GetAsync($"{PrivacyRequests.Path(scim.OrgId)}/{erasure["id"]!.GetValue<string>()}/bundle")).AssertProblemAsync(HttpStatusCode.NotFound);
    }
}

using System.Net;
using System.Text.Json.Nodes;
using Taskee.Grains.Audit;
using Taskee.Silo.Commands;
using Taskee.Tests.Infrastructure;

namespace Taskee.Tests.Retention;

public sealed class AuditRetentionTests(RetentionNodeFixture fixture) : IClassFixture<RetentionNodeFixture>
{
    private const string Job = "prune-audit-retention";
    private readonly HttpClient _admin = fixture.Node.Admin();

    private async Task<string[]> ExportAsync(string orgId) =>
        (await _admin.GetStringAsync($"/v1/organisations/{orgId}/audit/export?format=ndjson")).Split('\n', StringSplitOptions.RemoveEmptyEntries);

    private static async Task<int> VerifyAuditCommandAsync(string[] lines)
    {
        var file = Path.GetTempFileName();
        await File.WriteAllLinesAsync(file, lines);
        var stderr = new StringWriter();
        var original = Console.Error;
        Console.SetError(stderr);
        try
        {
            return await SiloCommands.Find("verify-audit")!([file]);
        }
        finally
        {
            Console.SetError(original);
            File.Delete(file);
        }
    }

    /// <summary>A starter organisation (a year of retention) with two events now and two more 400 days later.</summary>
    private async Task<string> OrganisationWithOldAndNewHistoryAsync()
    {
        var id = TestApi.NewOrgId("ret");
        await _admin.CreateOrganisationAsync(id, "starter");
        await _admin.PatchAsync($"/v1/organisations/{id}", TestApi.Json(new { name = "Oud" }));
        fixture.Advance(TimeSpan.FromDays(400));
        await _admin.PatchAsync($"/v1/organisations/{id}", TestApi.Json(new { name = "Nieuw" }));
        await _admin.PutAsync($"/v1/organisations/{id}/features/sso", TestApi.Json(new { enabled = true }));
        return id;
    }

    [Fact]
    public async Task Pruning_deletes_only_events_past_retention_and_the_export_verifies_from_the_checkpoint()
    {
        var id = await OrganisationWithOldAndNewHistoryAsync();
        var before = await ExportAsync(id);
        var headAtCut = JsonNode.Parse(before[1])!["hash"]!.GetValue<string>();

        await fixture.RunJobAsync(Job);

        var lines = await ExportAsync(id);
        Assert.True(AuditCheckpoint.TryParse(lines[0], out var checkpoint));
        Assert.Equal((id, 2L, headAtCut, 2L), (checkpoint.OrgId, checkpoint.Seq, checkpoint.HeadHash, checkpoint.PrunedCount));
        var actions = lines.Skip(1).Select(l => AuditHash.Parse(l).Action).ToList();
        Assert.Equal(["org.renamed", "org.feature.set", "audit.pruned"], actions);
        Assert.True(AuditCheckpointVerifier.Verify(lines).IsIntact);
        Assert.Equal(0, await VerifyAuditCommandAsync(lines));

        var retention = await _admin.GetJsonAsync($"/v1/organisations/{id}/retention");
        Assert.Equal(365, retention["auditRetentionDays"]!.GetValue<int>());
        Assert.Equal(2, retention["checkpoint"]!["seq"]!.GetValue<long>());
    }

    [Fact]
    public async Task A_second_run_with_nothing_due_prunes_nothing_and_a_later_prune_moves_the_checkpoint()
    {
        var id = await OrganisationWithOldAndNewHistoryAsync();
        await fixture.RunJobAsync(Job);
        await fixture.RunJobAsync(Job);
        Assert.Single(await ExportAsync(id), l => l.Contains("\"audit.pruned\""));

        fixture.Advance(TimeSpan.FromDays(400));
        await _admin.PatchAsync($"/v1/organisations/{id}", TestApi.Json(new { name = "Nieuwer" }));
        await fixture.RunJobAsync(Job);

        var lines = await ExportAsync(id);
        Assert.True(AuditCheckpoint.TryParse(lines[0], out var checkpoint));
        Assert.Equal(5, checkpoint.Seq); // the first prune's event was past retention too
        Assert.Equal(5, checkpoint.PrunedCount);
        Assert.True(AuditCheckpointVerifier.Verify(lines).IsIntact);
    }

    [Fact]
    public async Task A_filtered_export_of_a_pruned_chain_has_no_checkpoint_and_verifies_as_a_partial_one()
    {
        var id = await OrganisationWithOldAndNewHistoryAsync();
        await fixture.RunJobAsync(Job);
        var to = Uri.EscapeDataString(fixture.Clock.GetUtcNow().AddSeconds(1).ToString("O"));

        var lines = (await _admin.GetStringAsync($"/v1/organisations/{id}/audit/export?format=ndjson&to={to}")).Split('\n', StringSplitOptions.RemoveEmptyEntries);

        Assert.DoesNotContain(lines, l => AuditCheckpoint.TryParse(l, out _));
        Assert.Equal(3, AuditHash.Parse(lines[0]).Seq);
        Assert.Equal(0, await VerifyAuditCommandAsync(lines));
    }

    [Fact]
    public async Task A_tampered_checkpoint_or_a_chain_that_does_not_link_to_it_fails_verification()
    {
        var id = await OrganisationWithOldAndNewHistoryAsync();
        await fixture.RunJobAsync(Job);
        var lines = await ExportAsync(id);
        AuditCheckpoint.TryParse(lines[0], out var checkpoint);

        var otherHash = lines.ToArray();
        otherHash[0] = otherHash[0].Replace(checkpoint.HeadHash, new string('a', 64));
        var broken = AuditCheckpointVerifier.Verify(otherHash);
        Assert.False(broken.IsIntact);
        Assert.Equal(2, broken.BrokenAtLine);
        Assert.Equal(1, await VerifyAuditCommandAsync(otherHash));

        // Hiding one more event: the checkpoint is moved to link to the event after it, but the chain's own
        // audit.pruned event still records the real cut.
        var second = AuditHash.Parse(lines[1]);
        var moved = lines.Where((_, i) => i != 1).ToArray();
        moved[0] = moved[0].Replace($"\"seq\":{checkpoint.Seq}", $"\"seq\":{second.Seq}").Replace(checkpoint.HeadHash, second.Hash);
        Assert.Contains("audit.pruned", AuditCheckpointVerifier.Verify(moved).Problem);
        Assert.Equal(1, await VerifyAuditCommandAsync(moved));

        var gap = lines.Where((_, i) => i != 1).ToArray();
        Assert.False(AuditCheckpointVerifier.Verify(gap).IsIntact);

        // Without its checkpoint the pruned chain does not verify from genesis.
        Assert.False(AuditCheckpointVerifier.Verify(lines.Skip(1)).IsIntact);
    }

    [Fact]
    public async Task An_organisation_override_is_audited_and_keeps_its_events_longer_than_its_plan()
    {
        var id = TestApi.NewOrgId("ret");
        await _admin.CreateOrganisationAsync(id, "starter");
        var set = await _admin.PutAsync($"/v1/organisations/{id}/retention", TestApi.Json(new { auditRetentionDays = 3653 }));
        Assert.Equal(HttpStatusCode.OK, set.StatusCode);
        var body = await set.ReadJsonAsync();
        Assert.Equal((3653, 3653, 365), (body["auditRetentionDays"]!.GetValue<int>(), body["auditRetentionDaysOverride"]!.GetValue<int>(),
            body["planAuditRetentionDays"]!.GetValue<int>()));
        var setEvent = (await _admin.AuditEventsAsync(id)).Last();
        Assert.Equal("org.retention.set", setEvent["action"]!.GetValue<string>());
        Assert.Equal(3653, setEvent["after"]!["auditRetentionDays"]!.GetValue<int>());

        fixture.Advance(TimeSpan.FromDays(400));
        await fixture.RunJobAsync(Job);
        Assert.DoesNotContain((await ExportAsync(id)), l => l.Contains("\"checkpoint\""));

        var reset = await _admin.DeleteAsync($"/v1/organisations/{id}/retention");
        Assert.Null((await reset.ReadJsonAsync())["auditRetentionDaysOverride"]);
        await fixture.RunJobAsync(Job);
        Assert.True(AuditCheckpointVerifier.Verify(await ExportAsync(id)).IsIntact);
        Assert.Contains((await ExportAsync(id)), l => l.Contains("\"checkpoint\""));
    }

    [Fact]
    public async Task A_plan_carries_its_retention_and_the_default_plans_keep_one_three_and_seven_years()
    {
        var plans = (await _admin.GetJsonAsync("/v1/plans"))["items"]!.AsArray().ToDictionary(p => p!["id"]!.GetValue<string>());
        Assert.Equal(365, plans["starter"]!["auditRetentionDays"]!.GetValue<int>());
        Assert.Equal(1095, plans["pro"]!["auditRetentionDays"]!.GetValue<int>());
        Assert.Equal(2557, plans["enterprise"]!["auditRetentionDays"]!.GetValue<int>());

        var planId = TestApi.NewOrgId("plan");
        var put = await _admin.PutAsync($"/v1/plans/{planId}", TestApi.Json(new
        {
            name = "Zorg op maat", limits = new { ai_calls = 10, seats = 5, storage_bytes = 10 }, features = Array.Empty<string>(), auditRetentionDays = 3653,
        }));
        Assert.Equal(HttpStatusCode.Created, put.StatusCode);
        Assert.Equal(3653, (await put.ReadJsonAsync())["auditRetentionDays"]!.GetValue<int>());
        var kept = await _admin.PutAsync($"/v1/plans/{planId}", TestApi.Json(new
        {
            name = "Zorg op maat 2", limits = new { ai_calls = 10, seats = 5, storage_bytes = 10 }, features = Array.Empty<string>(),
        }));
        Assert.Equal(3653, (await kept.ReadJsonAsync())["auditRetentionDays"]!.GetValue<int>());
    }

    [Theory]
    [InlineData("""{"auditRetentionDays":29}""")]
    [InlineData("""{"auditRetentionDays":40000}""")]
    [InlineData("""{}""")]
    [InlineData("""{"auditRetentionDays":"long"}""")]
    public async Task A_bad_retention_is_a_400_and_changes_nothing(string json)
    {
        var id = TestApi.NewOrgId("ret");
        await _admin.CreateOrganisationAsync(id, "starter");

        await (await _admin.PutAsync($"/v1/organisations/{id}/retention", TestApi.Json(json))).AssertProblemAsync(HttpStatusCode.BadRequest);

        Assert.Null((await _admin.GetJsonAsync($"/v1/organisations/{id}/retention"))["auditRetentionDaysOverride"]);
        Assert.Single(await _admin.AuditEventsAsync(id));
    }

    [Fact]
    public async Task A_bad_plan_retention_is_a_400()
    {
        var response = await _admin.PutAsync($"/v1/plans/{TestApi.NewOrgId("plan")}", TestApi.Json(new
        {
            name = "Kort", limits = new { ai_calls = 10, seats = 5, storage_bytes = 10 }, features = Array.Empty<string>(), auditRetentionDays = 1,
        }));
        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.NotNull(problem["errors"]!["auditRetentionDays"]);
    }

    [Fact]
    public async Task An_organisation_reads_only_its_own_retention_and_cannot_change_it()
    {
        var a = TestApi.NewOrgId("ret");
        var b = TestApi.NewOrgId("ret");
        await _admin.CreateOrganisationAsync(a);
        await _admin.CreateOrganisationAsync(b);
        var adminOfB = fixture.Node.Client(await _admin.CreateKeyAsync(b, "admin"));

        await (await adminOfB.GetAsync($"/v1/organisations/{a}/retention")).AssertProblemAsync(HttpStatusCode.NotFound);
        Assert.Equal(HttpStatusCode.OK, (await adminOfB.GetAsync($"/v1/organisations/{b}/retention")).StatusCode);
        await (await adminOfB.PutAsync($"/v1/organisations/{b}/retention", TestApi.Json(new { auditRetentionDays = 30 })))
            .AssertProblemAsync(HttpStatusCode.Forbidden);
        await (await adminOfB.PutAsync($"/v1/organisations/{a}/retention", TestApi.Json(new { auditRetentionDays = 30 })))
            .AssertProblemAsync(HttpStatusCode.NotFound);
    }
}

using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Taskee.Grains.Audit;
using Taskee.Silo.Storage;
using Taskee.Tests.Infrastructure;

namespace Taskee.Tests.Privacy;

/// <summary>A member's e-mail is stored sealed in the audit log, shown plain by the API, and the export verifies.</summary>
public sealed class SealedAuditStorageTests(NodeFixture fixture) : IClassFixture<NodeFixture>
{
    [Fact]
    public async Task A_members_email_is_sealed_in_storage_shown_in_the_list_and_the_export_verifies()
    {
        var admin = fixture.Node.Admin();
        var orgId = TestApi.NewOrgId();
        await admin.CreateOrganisationAsync(orgId, "enterprise");
        var email = $"alice-{Guid.NewGuid():N}@example.com";
        var added = await admin.PostAsync($"/v1/organisations/{orgId}/members", TestApi.Json(new { userId = "u-alice", email, role = "member" }));
        added.EnsureSuccessStatusCode();

        var dialect = fixture.Node.Services.GetRequiredService<SqlDialect>();
        await using (var connection = await dialect.OpenAsync(CancellationToken.None))
        {
            var stored = await connection.QuerySingleAsync<(string Target, string After)>(
                "SELECT target, after_json FROM audit_events WHERE org_id = @orgId AND action = 'member.added'", new { orgId });
            Assert.DoesNotContain(email, stored.After);
            Assert.DoesNotContain("u-alice", stored.Target);
            Assert.Contains(SealedValue.Prefix, stored.After);
        }

        var shown = (await admin.AuditEventsAsync(orgId)).Single(e => e["action"]!.GetValue<string>() == "member.added");
        Assert.Equal(email, shown["after"]!["email"]!.GetValue<string>());
        Assert.Equal($"organisations/{orgId}/members/u-alice", shown["target"]!.GetValue<string>());

        var lines = (await admin.GetStringAsync($"/v1/organisations/{orgId}/audit/export")).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Contains(lines, l => l.Contains(email) && l.Contains("\"stored\""));
        Assert.True(AuditChainVerifier.Verify(lines).IsIntact);
    }
}

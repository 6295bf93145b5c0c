using Dapper;
using Npgsql;
using Taskee.Api.Privacy;
using Taskee.Silo.Storage;
using Taskee.Tests.Infrastructure;

namespace Taskee.Tests.Privacy;

/// <summary>A request the node was running when it stopped is taken up by the next node and completed.</summary>
public sealed class PrivacyRequestRestartTests
{
    [Fact]
    public async Task An_erasure_left_running_by_a_stopped_node_is_completed_after_the_restart()
    {
        await using var database = await TestDatabase.CreateAsync();
        var orgId = TestApi.NewOrgId("dsr");
        var email = $"kees.{Guid.NewGuid():N}@zorg.example";
        await using (var first = await new TaskeeNode(database).StartAsync())
        {
            var admin = first.Admin();
            await admin.CreateOrganisationAsync(orgId, "enterprise");
            // With an Idempotency-Key: its replayable answer repeats the e-mail, which the erasure deletes too.
            var add = new HttpRequestMessage(HttpMethod.Post, $"/v1/organisations/{orgId}/members") { Content = TestApi.Json(new { userId = "u-kees", email, role = "member" }) };
            add.Headers.Add("Idempotency-Key", Guid.NewGuid().ToString());
            (await admin.SendAsync(add)).EnsureSuccessStatusCode();
        }

        // As the job leaves a request when its node dies mid-erasure: running, the person still named.
        var requestId = PrivacyRequestIds.New(DateTimeOffset.UtcNow);
        SqlDialect dialect = database.Provider == "postgres" ? new PostgresDialect(NpgsqlDataSource.Create(database.ConnectionString)) : new SqliteDialect(database.ConnectionString);
        await using (var connection = await dialect.OpenAsync(CancellationToken.None))
        {
            var now = Iso.ToText(DateTimeOffset.UtcNow);
            await connection.ExecuteAsync(
                """
                INSERT INTO privacy_requests (id, org_id, kind, member_id, emails, status, created_at, updated_at)
                VALUES (@requestId, @orgId, 'erasure', 'u-kees', @emails, 'running', @now, @now)
                """, new { requestId, orgId, emails = $"[\"{email}\"]", now });
        }

        await using var second = await new TaskeeNode(database).StartAsync();
        var again = second.Admin();
        var path = $"{PrivacyRequests.Path(orgId)}/{requestId}";
        await Webhooks.TestWebhooks.EventuallyAsync(async () => (await again.GetJsonAsync(path))["status"]!.GetValue<string>() == "completed",
            "the resumed erasure", 30);
        var request = await again.GetJsonAsync(path);
        Assert.Equal(1, request["receipt"]!["erased"]!["auditKeysDestroyed"]!.GetValue<int>());
        Assert.Equal(1, request["receipt"]!["erased"]!["idempotentAnswers"]!.GetValue<int>());
        Assert.DoesNotContain("u-kees", await again.GetStringAsync($"/v1/organisations/{orgId}/members"));
        Assert.DoesNotContain(email, await again.GetStringAsync($"/v1/organisations/{orgId}/audit/export"));
    }
}

using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Taskee.Grains.Audit;
using Taskee.Silo.Storage;
using Taskee.Tests.Infrastructure;
using Taskee.Tests.Webhooks;

namespace Taskee.Tests.Privacy;

/// <summary>
/// Webhook bodies carry the audit event as revealed when sent: a member's e-mail goes out while their key lives, and a
/// redelivery or replay after the key is destroyed sends the same webhook-id with "[erased]" and still verifies.
/// </summary>
public sealed class ErasedWebhookPayloadTests(WebhookDeliveryNodeFixture fixture) : IClassFixture<WebhookDeliveryNodeFixture>
{
    private readonly HttpClient _admin = fixture.Node.Admin();

    [Fact]
    public async Task A_redelivery_and_a_replay_after_the_members_key_is_destroyed_send_erased_values_that_still_verify()
    {
        var orgId = TestApi.NewOrgId("whp");
        await _admin.CreateOrganisationAsync(orgId);
        await using var receiver = await WebhookReceiver.StartAsync();
        var created = await _admin.CreateWebhookAsync(orgId, new { url = receiver.Url, events = new[] { "member.added" } });
        var secret = created["secret"]!.GetValue<string>();
        receiver.Trust(secret);
        var path = $"{WebhookApi.Webhooks(orgId)}/{created.Id()}";
        var userId = $"u-{Guid.NewGuid():N}";
        var email = $"{userId}@example.com";
        var from = fixture.Clock.GetUtcNow();
        fixture.Clock.Set(from.AddSeconds(1));

        (await _admin.PostAsync($"/v1/organisations/{orgId}/members", TestApi.Json(new { userId, email, role = "member" }))).EnsureSuccessStatusCode();
        await TestWebhooks.EventuallyAsync(() => receiver.Accepted.Count == 1, "the member.added delivery");
        var live = receiver.Accepted[0];
        Assert.Contains(email, live.Body);
        Assert.Contains($"members/{userId}", live.Body);

        await DestroyAuditKeyAsync(orgId, userId);

        await TestWebhooks.EventuallyAsync(async () => (await _admin.GetJsonAsync($"{path}/deliveries"))["items"]!.AsArray().Count == 1, "the attempt recorded");
        var deliveryId = (await _admin.GetJsonAsync($"{path}/deliveries"))["items"]!.AsArray().Single()!["id"]!.GetValue<string>();
        Assert.Equal(HttpStatusCode.OK, (await _admin.PostAsync($"{path}/deliveries/{deliveryId}/redeliver", null)).StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, (await _admin.PostAsync($"{path}/replay", TestApi.Json(new { from }))).StatusCode);
        await TestWebhooks.EventuallyAsync(() => receiver.Accepted.Count == 3, "the redelivery and the replay");

        foreach (var again in receiver.Accepted.Skip(1))
        {
            Assert.Equal(live.Id, again.Id);
            Assert.True(again.SignaturesVerified(secret), again.Signature);
            Assert.DoesNotContain(email, again.Body);
            Assert.DoesNotContain(userId, again.Body);
            Assert.Contains(SealedValue.Erased, again.Body);
            // The data is an export line: its sealed stored form still hashes to the event's hash.
            Assert.True(AuditChainVerifier.Verify([Data(again)], startsAtGenesis: false).IsIntact);
        }
        Assert.True(AuditChainVerifier.Verify([Data(live)], startsAtGenesis: false).IsIntact);
    }

    /// <summary>The body's data exactly as sent (re-serialising could change the before/after text the hash covers).</summary>
    private static string Data(ReceivedWebhook received)
    {
        using var body = JsonDocument.Parse(received.Body);
        return body.RootElement.GetProperty("data").GetRawText();
    }

    /// <summary>Destroys the person's audit key directly in storage, as an erasure does.</summary>
    private async Task DestroyAuditKeyAsync(string orgId, string subject)
    {
        var dialect = fixture.Services.GetRequiredService<SqlDialect>();
        await using var connection = await dialect.OpenAsync(CancellationToken.None);
        await using var transaction = await connection.BeginTransactionAsync();
        var keyIds = await SubjectKeys.IdsOfAsync(dialect, connection, transaction, orgId, [subject]);
        Assert.Equal(1, await SubjectKeys.DestroyAsync(dialect, connection, transaction, keyIds, fixture.Clock.GetUtcNow()));
        await transaction.CommitAsync();
    }
}

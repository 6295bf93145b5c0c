using Taskee.Tests.Infrastructure;

namespace Taskee.Tests.Webhooks;

public sealed class WebhookDeliveryTests(WebhookDeliveryNodeFixture fixture) : IClassFixture<WebhookDeliveryNodeFixture>
{
    private async Task<(string OrgId, WebhookReceiver Receiver, TestWebhooks.Created Endpoint)> SubscribeAsync(params string[] events)
    {
        var orgId = TestApi.NewOrgId("wh");
        await fixture.Node.Admin().CreateOrganisationAsync(orgId);
        var receiver = await WebhookReceiver.StartAsync();
        var created = await fixture.Node.Admin().CreateWebhookAsync(orgId, new { url = receiver.Url, events = events.Length == 0 ? ["*"] : events });
        var endpoint = new TestWebhooks.Created(created.Id(), created["secret"]!.GetValue<string>());
        receiver.Trust(endpoint.Secret);
        return (orgId, receiver, endpoint);
    }

    [Fact]
    public async Task Changes_arrive_in_log_order_signed_with_the_audit_event_as_data()
    {
        var (orgId, receiver, endpoint) = await SubscribeAsync();
        await using var _ = receiver;
        var admin = fixture.Node.Admin();
        for (var limit = 101; limit <= 105; limit++) await admin.SetLimitAsync(orgId, "ai_calls", limit);

        await TestWebhooks.EventuallyAsync(() => receiver.Accepted.Count(r => r.Type == "org.limit.set") == 5, "five limit changes");
        var audit = (await admin.AuditEventsAsync(orgId)).Where(e => e["action"]!.GetValue<string>() == "org.limit.set").ToList();
        var received = receiver.Accepted.Where(r => r.Type == "org.limit.set").ToList();
        Assert.Equal(audit.Select(e => e["seq"]!.GetValue<long>()), received.Select(r => r.Seq));
        Assert.All(received, r => Assert.True(r.SignaturesVerified(endpoint.Secret), r.Signature));
        Assert.Equal(audit.Select(e => "msg_" + e["id"]!.GetValue<string>()), received.Select(r => r.Id));
        Assert.Equal(audit.Select(e => e["hash"]!.GetValue<string>()), received.Select(r => r.Json["data"]!["hash"]!.GetValue<string>()));
        Assert.Equal(audit.Select(e => e["at"]!.GetValue<string>()), received.Select(r => r.Json["timestamp"]!.GetValue<string>()));
    }

    [Fact]
    public async Task Only_the_selected_event_types_are_sent_and_the_cursor_reaches_the_head()
    {
        var (orgId, receiver, endpoint) = await SubscribeAsync("org.limit.set");
        await using var _ = receiver;
        var admin = fixture.Node.Admin();
        await admin.SetLimitAsync(orgId, "ai_calls", 7);
        await admin.CreateKeyAsync(orgId, "admin"); // apikey.created: not selected
        await admin.SetLimitAsync(orgId, "ai_calls", 8);

        await TestWebhooks.EventuallyAsync(() => receiver.Accepted.Count == 2, "two limit changes");
        Assert.All(receiver.Received, r => Assert.Equal("org.limit.set", r.Type));
        var head = (await admin.AuditEventsAsync(orgId)).Max(e => e["seq"]!.GetValue<long>());
        await TestWebhooks.EventuallyAsync(async () => (await TestWebhooks.QueueAsync(fixture.Services, endpoint.Id)).CursorSeq == head, "cursor at the head");
    }

    [Fact]
    public async Task A_receiver_down_for_a_while_gets_everything_afterwards_in_order_retrying_only_the_head()
    {
        var (orgId, receiver, endpoint) = await SubscribeAsync("org.*");
        await using var _ = receiver;
        receiver.Mode = ReceiverMode.Error;
        var admin = fixture.Node.Admin();
        for (var limit = 1; limit <= 3; limit++) await admin.SetLimitAsync(orgId, "ai_calls", limit);

        await TestWebhooks.EventuallyAsync(() => receiver.Received.Count >= 1, "a first attempt");
        await fixture.RetryNowAsync(endpoint.Id);
        await TestWebhooks.EventuallyAsync(() => receiver.Received.Count >= 2, "a retry");
        Assert.Single(receiver.Received.Select(r => r.Id).Distinct()); // one message at a time: the head, under one webhook-id
        // The attempt is recorded just after the receiver answered it.
        await TestWebhooks.EventuallyAsync(async () => (await TestWebhooks.QueueAsync(fixture.Services, endpoint.Id)) is { HeadAttempts: >= 2, NextAttemptAt: not null },
            "the retry recorded with its next attempt");

        receiver.Mode = ReceiverMode.Ok;
        await fixture.RetryNowAsync(endpoint.Id);
        await TestWebhooks.EventuallyAsync(() => receiver.Accepted.Count == 3, "all three after the outage");
        var seqs = receiver.Accepted.Select(r => r.Seq).ToList();
        Assert.Equal(seqs.Order(), seqs);
        Assert.Equal(receiver.Received[0].Id, receiver.Accepted[0].Id);
        Assert.Equal(0, (await TestWebhooks.QueueAsync(fixture.Services, endpoint.Id)).HeadAttempts);
    }

    [Fact]
    public async Task During_a_rotation_both_secrets_sign_and_after_the_grace_only_the_new_one()
    {
        var (orgId, receiver, endpoint) = await SubscribeAsync("org.*");
        await using var _ = receiver;
        var admin = fixture.Node.Admin();
        var rotated = await admin.PostAsync($"{WebhookApi.Webhooks(orgId)}/{endpoint.Id}/rotate-secret", null);
        Assert.Equal(System.Net.HttpStatusCode.OK, rotated.StatusCode);
        var fresh = (await rotated.ReadJsonAsync())["secret"]!.GetValue<string>();
        receiver.Trust(fresh, endpoint.Secret);

        await admin.SetLimitAsync(orgId, "ai_calls", 11);
        await TestWebhooks.EventuallyAsync(() => receiver.Accepted.Count == 1, "the message during the grace");
        Assert.True(receiver.Accepted[0].SignaturesVerified(fresh, endpoint.Secret), receiver.Accepted[0].Signature);

        fixture.Clock.Set(fixture.Clock.GetUtcNow().AddHours(25));
        receiver.Trust(fresh, endpoint.Secret);
        await admin.SetLimitAsync(orgId, "ai_calls", 12);
        await TestWebhooks.EventuallyAsync(() => receiver.Accepted.Count == 2, "the message after the grace");
        Assert.True(receiver.Accepted[1].SignaturesVerified(fresh), receiver.Accepted[1].Signature);
    }
}

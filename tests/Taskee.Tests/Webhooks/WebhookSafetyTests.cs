using Taskee.Tests.Infrastructure;

namespace Taskee.Tests.Webhooks;

/// <summary>What a receiver cannot make the sender do: follow a redirect, or hold up another endpoint by never answering.</summary>
public sealed class WebhookSafetyTests(WebhookDeliveryNodeFixture fixture) : IClassFixture<WebhookDeliveryNodeFixture>
{
    private readonly HttpClient _admin = fixture.Node.Admin();

    private async Task<(string WebhookId, WebhookReceiver Receiver)> SubscribeAsync(string orgId)
    {
        var receiver = await WebhookReceiver.StartAsync();
        var created = await _admin.CreateWebhookAsync(orgId, new { url = receiver.Url, events = new[] { "org.limit.set" } });
        receiver.Trust(created["secret"]!.GetValue<string>());
        return (created.Id(), receiver);
    }

    private async Task<List<System.Text.Json.Nodes.JsonNode>> DeliveriesAsync(string orgId, string webhookId) =>
        (await _admin.GetJsonAsync($"{WebhookApi.Webhooks(orgId)}/{webhookId}/deliveries"))["items"]!.AsArray().Select(d => d!).ToList();

    [Fact]
    public async Task A_redirect_is_not_followed_and_counts_as_a_failed_attempt_with_its_status()
    {
        var orgId = TestApi.NewOrgId("whs");
        await _admin.CreateOrganisationAsync(orgId);
        var (webhookId, receiver) = await SubscribeAsync(orgId);
        await using var _ = receiver;
        receiver.Mode = ReceiverMode.Redirect;

        await _admin.SetLimitAsync(orgId, "ai_calls", 3);
        await TestWebhooks.EventuallyAsync(async () => (await DeliveriesAsync(orgId, webhookId)).Count == 1, "the redirected attempt recorded");
        var attempt = (await DeliveriesAsync(orgId, webhookId)).Single();
        Assert.Equal("failed", attempt["outcome"]!.GetValue<string>());
        Assert.Equal(302, attempt["statusCode"]!.GetValue<int>());
        Assert.NotNull(attempt["nextAttemptAt"]);
        Assert.Equal(0, receiver.RedirectsFollowed);
    }

    [Fact]
    public async Task A_receiver_that_never_answers_times_out_without_delaying_another_endpoint_of_the_organisation()
    {
        var orgId = TestApi.NewOrgId("whs");
        await _admin.CreateOrganisationAsync(orgId);
        var (hungId, hung) = await SubscribeAsync(orgId);
        await using var _ = hung;
        var (healthyId, healthy) = await SubscribeAsync(orgId);
        await using var __ = healthy;
        hung.Mode = ReceiverMode.Hang;

        await _admin.SetLimitAsync(orgId, "ai_calls", 4);
        await TestWebhooks.EventuallyAsync(() => hung.Hanging == 1, "the hanging receiver holding the request");
        // The other endpoint's message arrives while the first request is still held open.
        await TestWebhooks.EventuallyAsync(() => healthy.Accepted.Count == 1, "the healthy endpoint's message", WebhookDeliveryNodeFixture.TimeoutSeconds * 5);
        Assert.Equal(1, hung.Hanging);
        Assert.Empty(hung.Accepted);

        // The sender gives up after Webhooks:Timeout and records a timeout, to be retried.
        await TestWebhooks.EventuallyAsync(async () => (await DeliveriesAsync(orgId, hungId)).Count == 1, "the timed-out attempt recorded");
        var attempt = (await DeliveriesAsync(orgId, hungId)).Single();
        Assert.Equal("timeout", attempt["outcome"]!.GetValue<string>());
        Assert.Null(attempt["statusCode"]);
        Assert.NotNull(attempt["nextAttemptAt"]);
        Assert.Equal("succeeded", (await DeliveriesAsync(orgId, healthyId)).Single()["outcome"]!.GetValue<string>());
    }
}

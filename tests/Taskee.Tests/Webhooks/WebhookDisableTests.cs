using System.Diagnostics.Metrics;
using System.Net;
using System.Text.Json.Nodes;
using Taskee.Tests.Infrastructure;

namespace Taskee.Tests.Webhooks;

/// <summary>A message that fails for the whole retry window disables its endpoint; enabling it resumes with that message.</summary>
public sealed class WebhookDisableTests(WebhookDeliveryNodeFixture fixture) : IClassFixture<WebhookDeliveryNodeFixture>
{
    private readonly HttpClient _admin = fixture.Node.Admin();

    [Fact]
    public async Task After_the_retry_window_the_endpoint_is_disabled_audited_and_metered_and_enabling_it_resumes_the_held_message()
    {
        using var disabled = new DisabledCounter();
        var orgId = TestApi.NewOrgId("whx");
        await _admin.CreateOrganisationAsync(orgId);
        await using var receiver = await WebhookReceiver.StartAsync();
        var created = await _admin.CreateWebhookAsync(orgId, new { url = receiver.Url, events = new[] { "org.limit.set" } });
        var path = $"{WebhookApi.Webhooks(orgId)}/{created.Id()}";
        receiver.Trust(created["secret"]!.GetValue<string>());
        receiver.Mode = ReceiverMode.Error;

        await _admin.SetLimitAsync(orgId, "ai_calls", 42);
        await TestWebhooks.EventuallyAsync(() => receiver.Received.Count >= 1, "a first attempt");
        await fixture.RetryNowAsync(created.Id());
        await TestWebhooks.EventuallyAsync(() => receiver.Received.Count >= 2, "a retry inside the window");
        Assert.True((await _admin.GetJsonAsync(path))["enabled"]!.GetValue<bool>());

        // Three days and a bit later the next attempt fails too: the window is over.
        fixture.Clock.Set(fixture.Clock.GetUtcNow().AddDays(3).AddMinutes(1));
        await fixture.RetryNowAsync(created.Id());
        JsonNode endpoint = null!;
        await TestWebhooks.EventuallyAsync(async () => !(endpoint = await _admin.GetJsonAsync(path))["enabled"]!.GetValue<bool>(), "the endpoint disabled");
        var reason = endpoint["disabledReason"]!.GetValue<string>();
        Assert.Contains("retry window", reason);
        Assert.Contains(receiver.Received[0].Id, reason);

        var audit = (await _admin.AuditEventsAsync(orgId)).Single(e => e["action"]!.GetValue<string>() == "webhook.disabled");
        Assert.Equal($"organisations/{orgId}/webhooks/{created.Id()}", audit["target"]!.GetValue<string>());
        Assert.True(disabled.Total >= 1);

        // Fixed receiver, endpoint enabled by the admin: the held message arrives, under its webhook-id.
        receiver.Mode = ReceiverMode.Ok;
        var attemptsBefore = receiver.Received.Count;
        var patch = new HttpRequestMessage(HttpMethod.Patch, path) { Content = TestApi.Json(new { enabled = true }) };
        Assert.Equal(HttpStatusCode.OK, (await _admin.SendAsync(patch)).StatusCode);
        await TestWebhooks.EventuallyAsync(() => receiver.Accepted.Count == 1, "the held message after enabling");
        Assert.Equal(receiver.Received[0].Id, receiver.Accepted[0].Id);
        Assert.Equal(attemptsBefore + 1, receiver.Received.Count);
        Assert.Null((await _admin.GetJsonAsync(path))["disabledReason"]);
    }

    /// <summary>Counts <c>taskee.webhook.endpoints.disabled</c> as a metrics exporter would see it.</summary>
    private sealed class DisabledCounter : IDisposable
    {
        private readonly MeterListener _listener = new();
        private long _total;

        public DisabledCounter()
        {
            _listener.InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Name == "taskee.webhook.endpoints.disabled") listener.EnableMeasurementEvents(instrument);
            };
            _listener.SetMeasurementEventCallback<long>((_, value, _, _) => Interlocked.Add(ref _total, value));
            _listener.Start();
        }

        public long Total => Interlocked.Read(ref _total);

        public void Dispose() => _listener.Dispose();
    }
}

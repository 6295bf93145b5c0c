using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Concurrency;
using Taskee.Grains.Audit;
using Taskee.Grains.Interfaces;
using Taskee.Grains.Storage;

namespace Taskee.Grains.Webhooks;

/// <summary>
/// One endpoint's delivery queue. Delivers the organisation's audit chain from the endpoint's cursor in log order, one
/// message at a time: events the filter does not select move the cursor; the head message is tried until it succeeds,
/// then the cursor moves past it in the same write as its attempt; a failure waits for the back-off (a grain timer while
/// active, the sweep after a deactivation) until the retry window is over, which disables the endpoint.
/// </summary>
/// <remarks>
/// Reentrant, so that a test, a redelivery or a replay is never queued behind an attempt in flight (which may take
/// <c>Webhooks:Timeout</c>): only one pump runs at a time (<see cref="_pumping"/>), and every queue write is conditional on
/// the cursor the pump read, so a replay that moved the cursor meanwhile wins and the pump reads the queue again.
/// </remarks>
[Reentrant]
[GrainType("webhook-endpoint")]
internal sealed partial class WebhookEndpointGrain(
    IWebhookDeliveryStore queues,
    IWebhookStore endpoints,
    IAuditStore audit,
    IAuditRevealer revealer,
    WebhookSender sender,
    WebhookMetrics metrics,
    IOptions<WebhookOptions> options,
    TimeProvider clock,
    ILogger<WebhookEndpointGrain> logger) : Grain, IWebhookEndpointGrain
{
    private const int PageSize = 100;

    // After a storage failure the pump tries again this soon (the sweep would too, later).
    private static readonly TimeSpan StorageRetry = TimeSpan.FromSeconds(15);

    private bool _pumping;
    private bool _wokenWhilePumping;
    private IGrainTimer? _timer;

    private string WebhookId => this.GetPrimaryKeyString();

    public Task WakeAsync() => PumpAsync();

    private async Task PumpAsync()
    {
        if (_pumping)
        {
            _wokenWhilePumping = true; // the running pump looks again before it stops
            return;
        }
        _pumping = true;
        try
        {
            do
            {
                _wokenWhilePumping = false;
                await DeliverDueAsync();
            } while (_wokenWhilePumping);
        }
        catch (Exception ex)
        {
            LogPumpFailed(ex, WebhookId);
            WakeIn(StorageRetry);
        }
        finally
        {
            _pumping = false;
        }
    }

    /// <summary>Delivers until the queue is empty, the head is waiting for a retry, or the endpoint is gone or disabled.</summary>
    private async Task DeliverDueAsync()
    {
        while (true)
        {
            if (await queues.GetQueueAsync(WebhookId) is not { } queue)
            {
                DeactivateOnIdle(); // deleted
                return;
            }
            if (!queue.Endpoint.Enabled) return;
            var now = clock.GetUtcNow();
            if (queue.NextAttemptAt is { } next && next > now)
            {
                WakeIn(next - now);
                return;
            }

            var events = await audit.ReadAsync(queue.Endpoint.OrgId, queue.CursorSeq, PageSize);
            if (events.Count == 0) return;
            if (events.FirstOrDefault(e => queue.Endpoint.Matches(e.Action)) is not { } head)
            {
                await queues.SkipAsync(WebhookId, queue.CursorSeq, events[^1].Seq);
                continue;
            }
            if (!await AttemptHeadAsync(queue, head)) return;
        }
    }

    /// <returns>Whether to go on with the queue (false: the head waits for its retry, or the endpoint was disabled).</returns>
    private async Task<bool> AttemptHeadAsync(WebhookQueue queue, AuditEvent head)
    {
        if (await endpoints.GetSecretsAsync(WebhookId) is not { } secrets) return true; // deleted meanwhile: the next read says so
        var endpoint = queue.Endpoint;
        var trigger = head.Seq <= queue.ReplayThroughSeq ? WebhookTrigger.Replay : queue.HeadAttempts > 0 ? WebhookTrigger.Retry : WebhookTrigger.Log;
        var attempt = queue.HeadAttempts + 1;
        var at = clock.GetUtcNow();
        var message = WebhookMessage.For(await revealer.RevealAsync(head));
        var result = await sender.SendAsync(endpoint.Url, message, secrets.SigningAt(at), trigger);

        if (result.Succeeded)
        {
            await queues.RecordDeliveredAsync(Delivery(endpoint, message, head, attempt, trigger, at, result, null), queue.CursorSeq);
            LogDelivered(WebhookId, message.Id, attempt, result.StatusCode);
            return true;
        }

        var failingSince = queue.FailingSince ?? at;
        var now = clock.GetUtcNow();
        var retryAt = WebhookBackoff.NextAttempt(attempt, now, failingSince, options.Value.RetryWindow, Random.Shared.NextDouble());
        var delivery = Delivery(endpoint, message, head, attempt, trigger, at, result, retryAt);
        if (retryAt is null) return !await DisableAsync(queue, delivery, failingSince);

        LogAttemptFailed(WebhookId, message.Id, attempt, result.Outcome, result.StatusCode, retryAt.Value);
        if (!await queues.RecordFailedAsync(delivery, queue.CursorSeq, failingSince)) return true; // the queue moved: read it again
        WakeIn(retryAt.Value - now);
        return false;
    }

    private async Task<bool> DisableAsync(WebhookQueue queue, WebhookDelivery last, DateTimeOffset failingSince)
    {
        var window = options.Value.RetryWindow;
        var reason = $"Message {last.MessageId} failed for the whole retry window of {window} (since {failingSince:O}; last attempt: {last.Outcome}"
            + (last.StatusCode is { } code ? $" {code}" : "") + "). Fix the receiver, then enable the endpoint: delivery resumes with that message.";
        var endpoint = queue.Endpoint;
        var auditRecord = new AuditRecord("webhook.disabled", $"organisations/{endpoint.OrgId}/webhooks/{endpoint.Id}",
            JsonSerializer.Serialize(new { enabled = true }), JsonSerializer.Serialize(new
            {
                enabled = false, disabledReason = reason, messageId = last.MessageId, eventSeq = last.EventSeq, failingSince, attempts = last.Attempt,
            }));
        if (!await queues.DisableAsync(last, queue.CursorSeq, failingSince, reason, auditRecord)) return false;
        metrics.EndpointDisabled();
        LogDisabled(WebhookId, endpoint.OrgId, last.MessageId, window);
        return true;
    }

    public async Task<WebhookDelivery?> SendTestAsync(ChangeContext context)
    {
        if (await queues.GetQueueAsync(WebhookId) is not { Endpoint: var endpoint } || await endpoints.GetSecretsAsync(WebhookId) is not { } secrets)
            return null;
        var at = clock.GetUtcNow();
        var message = WebhookMessage.Test(endpoint, at);
        var result = await sender.SendAsync(endpoint.Url, message, secrets.SigningAt(at), WebhookTrigger.Test);
        var delivery = Delivery(endpoint, message, null, 1, WebhookTrigger.Test, at, result, null);
        await queues.RecordOutOfQueueAsync(delivery, OutOfQueueAudit("webhook.tested", delivery, null), context);
        return delivery;
    }

    public async Task<WebhookDelivery?> RedeliverAsync(string deliveryId, ChangeContext context)
    {
        if (await queues.GetQueueAsync(WebhookId) is not { Endpoint: var endpoint }
            || await queues.FindAsync(endpoint.OrgId, WebhookId, deliveryId) is not { EventSeq: { } seq } original
            || await endpoints.GetSecretsAsync(WebhookId) is not { } secrets) return null;
        var events = await audit.ReadAsync(endpoint.OrgId, seq - 1, 1);
        if (events is not [var auditEvent] || auditEvent.Seq != seq) return null;

        var at = clock.GetUtcNow();
        var message = WebhookMessage.For(await revealer.RevealAsync(auditEvent));
        var result = await sender.SendAsync(endpoint.Url, message, secrets.SigningAt(at), WebhookTrigger.Redeliver);
        var delivery = Delivery(endpoint, message, auditEvent, 1, WebhookTrigger.Redeliver, at, result, null);
        await queues.RecordOutOfQueueAsync(delivery, OutOfQueueAudit("webhook.redelivered", delivery, original.Id), context);
        return delivery;
    }

    public async Task<long?> ReplayAsync(DateTimeOffset from, ChangeContext context)
    {
        if (await queues.GetQueueAsync(WebhookId) is not { Endpoint: var endpoint }) return null;
        var replay = await queues.ReplayAsync(endpoint.OrgId, WebhookId, from, r => new AuditRecord("webhook.replayed",
            $"organisations/{endpoint.OrgId}/webhooks/{endpoint.Id}", JsonSerializer.Serialize(new { cursor = r.PreviousCursor }),
            JsonSerializer.Serialize(new { from = r.From, cursor = r.Cursor, rewound = r.Rewound })), context);
        if (replay is null) return null;
        // Through the grain's own mailbox, so this call answers now and the queue is sent after it.
        await this.AsReference<IWebhookEndpointGrain>().WakeAsync();
        return replay.Rewound;
    }

    /// <summary>Pumps again after <paramref name="due"/> (one timer: the latest request wins).</summary>
    private void WakeIn(TimeSpan due)
    {
        _timer?.Dispose();
        var delay = due < TimeSpan.Zero ? TimeSpan.Zero : due;
        _timer = this.RegisterGrainTimer(_ => PumpAsync(), new GrainTimerCreationOptions(delay, Timeout.InfiniteTimeSpan) { Interleave = true });
    }

    private static WebhookDelivery Delivery(WebhookEndpoint endpoint, WebhookMessage message, AuditEvent? auditEvent, int attempt, string trigger,
        DateTimeOffset at, WebhookAttemptResult result, DateTimeOffset? nextAttemptAt) =>
        new(WebhookDelivery.IdPrefix + Ulid.NewUlid(at), endpoint.Id, endpoint.OrgId, message.Id, message.Type, auditEvent?.Id, auditEvent?.Seq,
            attempt, trigger, at, result.Outcome, result.StatusCode, result.LatencyMs, result.ResponseExcerpt, result.Error, nextAttemptAt);

    private static AuditRecord OutOfQueueAudit(string action, WebhookDelivery delivery, string? originalDeliveryId) =>
        new(action, $"organisations/{delivery.OrgId}/webhooks/{delivery.WebhookId}", null, JsonSerializer.Serialize(new
        {
            deliveryId = delivery.Id, redeliveryOf = originalDeliveryId, messageId = delivery.MessageId, eventSeq = delivery.EventSeq,
            outcome = delivery.Outcome, statusCode = delivery.StatusCode,
        }));

    [LoggerMessage(EventId = 4830, Level = LogLevel.Debug, Message = "Webhook {WebhookId} delivered {MessageId} (attempt {Attempt}, status {StatusCode})")]
    private partial void LogDelivered(string webhookId, string messageId, int attempt, int? statusCode);

    [LoggerMessage(EventId = 4831, Level = LogLevel.Information,
        Message = "Webhook {WebhookId} attempt {Attempt} of {MessageId} was {Outcome} (status {StatusCode}); next attempt at {RetryAt}")]
    private partial void LogAttemptFailed(string webhookId, string messageId, int attempt, string outcome, int? statusCode, DateTimeOffset retryAt);

    [LoggerMessage(EventId = 4832, Level = LogLevel.Warning,
        Message = "Webhook {WebhookId} of {OrgId} disabled: {MessageId} failed for the whole retry window of {RetryWindow}")]
    private partial void LogDisabled(string webhookId, string orgId, string messageId, TimeSpan retryWindow);

    [LoggerMessage(EventId = 4833, Level = LogLevel.Warning, Message = "Webhook {WebhookId} could not read or write its queue; it tries again shortly")]
    private partial void LogPumpFailed(Exception exception, string webhookId);
}

using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Taskee.Api.Billing.Processing;
using Taskee.Api.Billing.Stripe;
using Taskee.Grains.Storage;

namespace Taskee.Api.Billing.Webhooks;

/// <summary>The outcome of a delivery: refused (and why), or stored (or already stored).</summary>
public sealed record ReceiveResult(SignatureCheck Check, string? EventId, bool Duplicate, string? Status);

/// <summary>
/// Receives one webhook delivery: verifies the signature over the raw body, then stores the event (once per id)
/// before the delivery is acknowledged, and wakes the processor. Nothing is stored for a refused delivery.
/// </summary>
public sealed class StripeWebhookReceiver(
    IOptions<StripeOptions> options,
    IStripeEventStore events,
    StripeEventProcessor processor,
    TimeProvider clock,
    ILogger<StripeWebhookReceiver> logger)
{
    public async Task<ReceiveResult> ReceiveAsync(string? signatureHeader, byte[] body, CancellationToken ct)
    {
        var settings = options.Value;
        var now = clock.GetUtcNow();
        var payload = Encoding.UTF8.GetString(body);
        var (check, evt) = StripeWebhookSignature.Verify(signatureHeader, payload, settings.EffectiveWebhookSecrets, now, settings.Tolerance);
        if (check != SignatureCheck.Valid || evt is null)
        {
            BillingLog.WebhookRefused(logger, check.ToString());
            return new ReceiveResult(check, null, false, null);
        }

        var handled = StripeEventHandler.HandledTypes.Contains(evt.Type);
        var status = handled ? StripeEventStatus.Pending : StripeEventStatus.Ignored;
        var record = new StripeEventRecord(evt.Id, evt.Type, StripeEvents.CreatedAt(evt), payload, StripeEvents.CustomerId(evt),
            status, 0, now, now, handled ? null : now, null, handled ? null : $"'{evt.Type}' is not an event billing acts on.");
        if (!await events.AddAsync(record, ct))
        {
            BillingLog.EventDuplicate(logger, evt.Id);
            return new ReceiveResult(check, evt.Id, true, (await events.GetAsync(evt.Id, ct))?.Status);
        }

        BillingLog.EventStored(logger, evt.Id, evt.Type, status);
        if (handled) processor.Wake();
        return new ReceiveResult(check, evt.Id, false, status);
    }
}

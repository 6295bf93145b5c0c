using System.Diagnostics.Metrics;
using Microsoft.Extensions.Options;
using Taskee.Api.Billing.Stripe;
using Taskee.Api.Ops;

namespace Taskee.Api.Billing.Webhooks;

/// <summary>
/// Stripe webhook health on this node for the ops dashboard and the alert rules (meter <c>Taskee.Billing</c>):
/// deliveries accepted, deliveries refused or events that failed to process, and the last accepted delivery.
/// </summary>
public sealed class StripeWebhookHealth : IWebhookHealth, IDisposable
{
    private readonly IOptions<StripeOptions> _options;
    private readonly Meter _meter = new("Taskee.Billing");
    private readonly Counter<long> _events;
    private readonly Counter<long> _failures;
    private long _received;
    private long _failed;
    private long _lastReceivedTicks;

    public StripeWebhookHealth(IOptions<StripeOptions> options)
    {
        _options = options;
        _events = _meter.CreateCounter<long>("taskee.billing.webhook_events", "{event}", "Stripe webhook deliveries accepted");
        _failures = _meter.CreateCounter<long>("taskee.billing.webhook_failures", "{event}", "Stripe deliveries refused or events that failed to process");
    }

    public void Received()
    {
        Interlocked.Increment(ref _received);
        Interlocked.Exchange(ref _lastReceivedTicks, DateTimeOffset.UtcNow.UtcTicks);
        _events.Add(1);
    }

    public void Failed(string stage)
    {
        Interlocked.Increment(ref _failed);
        _failures.Add(1, new KeyValuePair<string, object?>("stage", stage));
    }

    public WebhookHealthStatus Status()
    {
        var last = Interlocked.Read(ref _lastReceivedTicks);
        return new WebhookHealthStatus(_options.Value.EffectiveWebhookSecrets.Count > 0, last == 0 ? null : new DateTimeOffset(last, TimeSpan.Zero),
            Interlocked.Read(ref _received), Interlocked.Read(ref _failed));
    }

    public void Dispose() => _meter.Dispose();
}

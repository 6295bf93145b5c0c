namespace Taskee.Api.Ops;

/// <summary>Health of incoming webhooks (Stripe) as the dashboard shows it.</summary>
/// <param name="Configured">False while no webhook signing secret is configured: no delivery can be accepted.</param>
/// <param name="Failed">Deliveries refused (signature) and events whose processing failed, on this node.</param>
public sealed record WebhookHealthStatus(bool Configured, DateTimeOffset? LastReceived, long Received, long Failed);

/// <summary>Provided by the billing module (Stripe webhooks).</summary>
public interface IWebhookHealth
{
    WebhookHealthStatus Status();
}

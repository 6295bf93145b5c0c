namespace Taskee.Api.Ops;

/// <summary>Health of incoming webhooks (Stripe) as the dashboard shows it.</summary>
public sealed record WebhookHealthStatus(bool Configured, DateTimeOffset? LastReceived, long Received, long Failed, long Pending);

/// <summary>Provided by the billing module when it is present; without it the dashboard says "not configured".</summary>
public interface IWebhookHealth
{
    WebhookHealthStatus Status();
}

public sealed class NoWebhooks : IWebhookHealth
{
    public WebhookHealthStatus Status() => new(false, null, 0, 0, 0);
}

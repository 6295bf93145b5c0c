using Microsoft.Extensions.Logging;

namespace Taskee.Api.Webhooks;

/// <summary>Log messages of webhook endpoint management (event ids 4800–4829). They never carry a signing secret.</summary>
internal static partial class WebhookLog
{
    [LoggerMessage(EventId = 4800, Level = LogLevel.Information, Message = "Webhook endpoint {WebhookId} of organisation {OrgId} created for host {Host}")]
    public static partial void Created(ILogger logger, string orgId, string webhookId, string host);

    [LoggerMessage(EventId = 4801, Level = LogLevel.Information, Message = "Webhook endpoint {WebhookId} of organisation {OrgId} updated (enabled: {Enabled})")]
    public static partial void Updated(ILogger logger, string orgId, string webhookId, bool enabled);

    [LoggerMessage(EventId = 4802, Level = LogLevel.Information, Message = "Webhook endpoint {WebhookId} of organisation {OrgId} deleted")]
    public static partial void Deleted(ILogger logger, string orgId, string webhookId);

    [LoggerMessage(EventId = 4803, Level = LogLevel.Information,
        Message = "Webhook endpoint {WebhookId} of organisation {OrgId} has a new signing secret; the previous one signs until {PreviousValidUntil}")]
    public static partial void SecretRotated(ILogger logger, string orgId, string webhookId, DateTimeOffset previousValidUntil);

    [LoggerMessage(EventId = 4804, Level = LogLevel.Information, Message = "Webhook URL for organisation {OrgId} refused: {Reason}")]
    public static partial void TargetRefused(ILogger logger, string orgId, string reason);

    [LoggerMessage(EventId = 4805, Level = LogLevel.Information, Message = "Webhook URL host {Host} did not resolve: {Reason}")]
    public static partial void HostUnresolved(ILogger logger, string host, string reason);
}

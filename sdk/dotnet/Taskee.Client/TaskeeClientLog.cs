using Microsoft.Extensions.Logging;

namespace Taskee.Client;

/// <summary>The SDK's log messages; event ids 9100-9199.</summary>
internal static partial class TaskeeClientLog
{
    [LoggerMessage(9101, LogLevel.Warning, "Taskee unreachable while guarding '{Key}' for organisation {OrgId}: failing {Mode}")]
    public static partial void FailMode(ILogger logger, string key, string orgId, FailMode mode, Exception exception);

    [LoggerMessage(9102, LogLevel.Warning, "Could not release {Amount} of {Metric} for organisation {OrgId} after the handler failed")]
    public static partial void ReleaseFailed(ILogger logger, long amount, string metric, string orgId, Exception exception);

    [LoggerMessage(9103, LogLevel.Information, "The handler failed after consuming {Amount} of counter {Metric} for organisation {OrgId}: a counter cannot be released, the consumption stands")]
    public static partial void CounterNotReleased(ILogger logger, long amount, string metric, string orgId);

    [LoggerMessage(9110, LogLevel.Warning, "Refused webhook {WebhookId}: {Reason}")]
    public static partial void WebhookRefused(ILogger logger, string? webhookId, string reason);

    [LoggerMessage(9111, LogLevel.Error, "The handler of webhook {WebhookId} ({Type}) failed; answering 500 so that Taskee retries it")]
    public static partial void WebhookHandlerFailed(ILogger logger, string webhookId, string type, Exception exception);
}

using Microsoft.Extensions.Logging;

namespace Taskee.Grains.Quota;

/// <summary>Log messages of the organisation grains' quota engine (event ids 2100-2199).</summary>
internal static partial class QuotaLog
{
    [LoggerMessage(EventId = 2101, Level = LogLevel.Warning, Message = "Storage unavailable for {OrgId}/{Metric}; denying what the reservation does not cover")]
    public static partial void StorageUnavailable(ILogger logger, Exception exception, string orgId, string metric);

    [LoggerMessage(EventId = 2102, Level = LogLevel.Warning,
        Message = "Usage state of {OrgId} was written by another activation; this one stops admitting and deactivates")]
    public static partial void Fenced(ILogger logger, string orgId);

    [LoggerMessage(EventId = 2103, Level = LogLevel.Warning, Message = "Writing the usage of {OrgId} failed; it stays in memory and is retried")]
    public static partial void FlushFailed(ILogger logger, Exception exception, string orgId);

    // Issue 16's range (7057-7069): the usage history behind the console's charts.
    [LoggerMessage(EventId = 7057, Level = LogLevel.Warning, Message = "Writing the usage history of {OrgId} failed; it stays in memory and is written with the next flush")]
    public static partial void HistoryWriteFailed(ILogger logger, Exception exception, string orgId);

    [LoggerMessage(EventId = 2104, Level = LogLevel.Debug, Message = "Activated {OrgId} at version {Version}")]
    public static partial void Activated(ILogger logger, string orgId, long version);
}

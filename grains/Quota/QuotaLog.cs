using Microsoft.Extensions.Logging;

namespace Taskee.Grains.Quota;

/// <summary>Log messages of the quota engine (event ids 2100-2199).</summary>
internal static partial class QuotaLog
{
    [LoggerMessage(EventId = 2101, Level = LogLevel.Warning, Message = "Ledger unavailable for {OrgId}/{Metric}; serving from live leases only")]
    public static partial void LedgerUnavailable(ILogger logger, Exception exception, string orgId, string metric);

    [LoggerMessage(EventId = 2102, Level = LogLevel.Warning, Message = "Lease {Epoch} of {OrgId}/{Metric} was reclaimed while this node held it; its unspent part is gone")]
    public static partial void LeaseFenced(ILogger logger, string orgId, string metric, long epoch);

    [LoggerMessage(EventId = 2103, Level = LogLevel.Error, Message = "Quota flush failed; consumption stays in memory and is retried")]
    public static partial void FlushFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 2105, Level = LogLevel.Critical, Message = "Storage was disposed before the shutdown flush finished; consumption since the last flush was not reported")]
    public static partial void ShutdownFlushLost(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 2104, Level = LogLevel.Information, Message = "Flushed {Grains} grains and returned their leases on shutdown")]
    public static partial void FlushedOnShutdown(ILogger logger, int grains);
}

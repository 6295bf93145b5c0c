using Microsoft.Extensions.Logging;

namespace Taskee.Api.Imports;

/// <summary>Log messages of the customer import (event ids 7020-7039: the command's engine 7020-7022, HTTP jobs 7023-7039).</summary>
internal static partial class ImportLog
{
    [LoggerMessage(EventId = 7020, Level = LogLevel.Information, Message = "Import {RunId} started (dry run: {DryRun})")]
    public static partial void Started(ILogger logger, string runId, bool dryRun);

    [LoggerMessage(EventId = 7021, Level = LogLevel.Information, Message = "Import {RunId} rejected line {Line}: {Reason}")]
    public static partial void RowRejected(ILogger logger, string runId, long line, string reason);

    [LoggerMessage(EventId = 7022, Level = LogLevel.Information, Message = "Import {RunId} finished: {Counts}")]
    public static partial void Finished(ILogger logger, string runId, ImportCounts counts);

    [LoggerMessage(EventId = 7023, Level = LogLevel.Information, Message = "Import job {ImportId} queued by {Actor}: {Bytes} bytes, about {Rows} rows (dry run: {DryRun})")]
    public static partial void JobQueued(ILogger logger, string importId, string actor, long bytes, long rows, bool dryRun);

    [LoggerMessage(EventId = 7024, Level = LogLevel.Information, Message = "Import job {ImportId} claimed by node {Node}; {Recorded} rows recorded before are skipped")]
    public static partial void JobClaimed(ILogger logger, string importId, string node, int recorded);

    [LoggerMessage(EventId = 7025, Level = LogLevel.Information, Message = "Import job {ImportId} ended {Status}")]
    public static partial void JobEnded(ILogger logger, string importId, string status);

    [LoggerMessage(EventId = 7026, Level = LogLevel.Warning, Message = "Import job {ImportId} lost its claim to another node; this node stops running it")]
    public static partial void ClaimLost(ILogger logger, string importId);

    [LoggerMessage(EventId = 7027, Level = LogLevel.Warning, Message = "Import job {ImportId} stopped; the next run resumes it from its last checkpoint")]
    public static partial void JobInterrupted(ILogger logger, Exception exception, string importId);

    [LoggerMessage(EventId = 7028, Level = LogLevel.Warning, Message = "Import job {ImportId} could not write its checkpoint or give up its claim; the rows since the last checkpoint are applied again (unchanged) when it resumes")]
    public static partial void CheckpointFailed(ILogger logger, Exception exception, string importId);

    [LoggerMessage(EventId = 7029, Level = LogLevel.Warning, Message = "Import {RunId} line {Line}: attempt {Attempt} failed ({Reason}); trying again")]
    public static partial void RowRetried(ILogger logger, string runId, long line, int attempt, string reason);
}

using Microsoft.Extensions.Logging;

namespace Taskee.Api.Imports;

/// <summary>Log messages of the customer import (event ids 7020-7039).</summary>
internal static partial class ImportLog
{
    [LoggerMessage(EventId = 7020, Level = LogLevel.Information, Message = "Import {RunId} started (dry run: {DryRun})")]
    public static partial void Started(ILogger logger, string runId, bool dryRun);

    [LoggerMessage(EventId = 7021, Level = LogLevel.Information, Message = "Import {RunId} rejected line {Line}: {Reason}")]
    public static partial void RowRejected(ILogger logger, string runId, long line, string reason);

    [LoggerMessage(EventId = 7022, Level = LogLevel.Information, Message = "Import {RunId} finished: {Counts}")]
    public static partial void Finished(ILogger logger, string runId, ImportCounts counts);
}

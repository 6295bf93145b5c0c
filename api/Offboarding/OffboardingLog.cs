using Microsoft.Extensions.Logging;

namespace Taskee.Api.Offboarding;

/// <summary>Log messages of offboarding (EventIds 4960–4969, in retention's range 4950–4999).</summary>
internal static partial class OffboardingLog
{
    [LoggerMessage(EventId = 4960, Level = LogLevel.Information, Message = "Deleted offboarded organisation {OrgId}; its audit chain ended at position {FinalSeq}")]
    public static partial void Deleted(ILogger logger, string orgId, long finalSeq);

    [LoggerMessage(EventId = 4961, Level = LogLevel.Error, Message = "Could not delete offboarded organisation {OrgId}; nothing of it was deleted and the next run tries again")]
    public static partial void DeleteFailed(ILogger logger, Exception exception, string orgId);

    [LoggerMessage(EventId = 4962, Level = LogLevel.Information, Message = "Offboarding deletion run: {Deleted} organisations deleted, {Failed} failed")]
    public static partial void RunCompleted(ILogger logger, int deleted, int failed);
}

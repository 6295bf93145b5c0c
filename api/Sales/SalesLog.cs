using Microsoft.Extensions.Logging;

namespace Taskee.Api.Sales;

/// <summary>Log messages of the sales toolkit (event ids 5002-5049; 5001 is the silo's). Contact details are never logged.</summary>
internal static partial class SalesLog
{
    [LoggerMessage(EventId = 5010, Level = LogLevel.Information, Message = "Lead {LeadId} received: qualified {Qualified}, score {Score}")]
    public static partial void LeadReceived(ILogger logger, string leadId, bool qualified, int score);

    [LoggerMessage(EventId = 5011, Level = LogLevel.Information, Message = "Intake refused: {Check}")]
    public static partial void IntakeRefused(ILogger logger, string check);

    [LoggerMessage(EventId = 5012, Level = LogLevel.Information, Message = "Lead {LeadId} moved from {From} to {To}")]
    public static partial void LeadMoved(ILogger logger, string leadId, string from, string to);

    [LoggerMessage(EventId = 5020, Level = LogLevel.Information, Message = "Lead {LeadId} handed to {Provider} (delivery {DeliveryId}, attempt {Attempt}): CRM id {CrmId}")]
    public static partial void CrmDelivered(ILogger logger, string leadId, string deliveryId, string provider, string? crmId, int attempt);

    [LoggerMessage(EventId = 5021, Level = LogLevel.Warning, Message = "Hand-off of lead {LeadId} to {Provider} failed (delivery {DeliveryId}, attempt {Attempt}); retrying at {NextAttemptAt}")]
    public static partial void CrmDeliveryFailed(ILogger logger, Exception exception, string leadId, string deliveryId, string provider, int attempt, DateTimeOffset nextAttemptAt);
}

using Microsoft.Extensions.Logging;

namespace Taskee.Api.Billing;

/// <summary>Log messages of billing (event ids 6100-6199). Secrets, signatures and payloads are never logged.</summary>
internal static partial class BillingLog
{
    [LoggerMessage(EventId = 6101, Level = LogLevel.Warning, Message = "Refused a Stripe webhook delivery: {Check}")]
    public static partial void WebhookRefused(ILogger logger, string check);

    [LoggerMessage(EventId = 6102, Level = LogLevel.Information, Message = "Stored Stripe event {EventId} ({Type}) as {Status}")]
    public static partial void EventStored(ILogger logger, string eventId, string type, string status);

    [LoggerMessage(EventId = 6103, Level = LogLevel.Debug, Message = "Stripe event {EventId} delivered again; already stored")]
    public static partial void EventDuplicate(ILogger logger, string eventId);

    [LoggerMessage(EventId = 6104, Level = LogLevel.Information, Message = "Stripe event {EventId} ({Type}): {Status} for {OrgId}: {Detail}")]
    public static partial void EventProcessed(ILogger logger, string eventId, string type, string status, string? orgId, string detail);

    [LoggerMessage(EventId = 6105, Level = LogLevel.Warning, Message = "Stripe event {EventId} failed on attempt {Attempt}; retrying at {NextAttemptAt}")]
    public static partial void EventFailed(ILogger logger, Exception exception, string eventId, int attempt, DateTimeOffset nextAttemptAt);

    [LoggerMessage(EventId = 6106, Level = LogLevel.Error, Message = "Stripe event processing loop failed; retrying")]
    public static partial void ProcessorFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 6120, Level = LogLevel.Warning, Message = "Stripe price {PriceId} of organisation {OrgId} maps to no plan; the plan is left as it is. Add it to a plan's stripePriceIds")]
    public static partial void UnmappedPrice(ILogger logger, string priceId, string orgId);

    [LoggerMessage(EventId = 6121, Level = LogLevel.Warning, Message = "Stripe customer {CustomerId} points at organisation {OrgId}, which is linked to another customer; event {EventId} ignored")]
    public static partial void LinkConflict(ILogger logger, string customerId, string orgId, string eventId);

    [LoggerMessage(EventId = 6130, Level = LogLevel.Information, Message = "Billing deadline of {OrgId} passed: status {Status}")]
    public static partial void DeadlineApplied(ILogger logger, string orgId, string status);

    [LoggerMessage(EventId = 6140, Level = LogLevel.Information, Message = "Billing reconciliation {RunId}: {Checked} organisations checked, {Corrected} corrected, {Failed} failed")]
    public static partial void Reconciled(ILogger logger, string runId, int @checked, int corrected, int failed);

    [LoggerMessage(EventId = 6141, Level = LogLevel.Warning, Message = "Billing reconciliation of {OrgId} failed")]
    public static partial void ReconcileOrganisationFailed(ILogger logger, Exception exception, string orgId);

    [LoggerMessage(EventId = 6150, Level = LogLevel.Warning, Message = "Could not read the subscriptions of customer {CustomerId} after linking {OrgId}; the next reconciliation catches up")]
    public static partial void LinkSyncFailed(ILogger logger, Exception exception, string customerId, string orgId);
}

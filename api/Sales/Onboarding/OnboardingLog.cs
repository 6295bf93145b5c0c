using Microsoft.Extensions.Logging;

namespace Taskee.Api.Sales.Onboarding;

/// <summary>Log messages of won quotes and onboarding (event ids 7001-7019).</summary>
internal static partial class OnboardingLog
{
    [LoggerMessage(EventId = 7001, Level = LogLevel.Information, Message = "Quote {QuoteId} won: organisation {OrgId} on plan {PlanId}")]
    public static partial void QuoteWon(ILogger logger, string quoteId, string orgId, string planId);

    [LoggerMessage(EventId = 7002, Level = LogLevel.Information, Message = "Quote {QuoteId} lost")]
    public static partial void QuoteLost(ILogger logger, string quoteId);

    [LoggerMessage(EventId = 7003, Level = LogLevel.Information, Message = "Organisation {OrgId} provisioned from quote {QuoteId}")]
    public static partial void Provisioned(ILogger logger, string orgId, string quoteId);

    [LoggerMessage(EventId = 7004, Level = LogLevel.Warning, Message = "Provisioning of organisation {OrgId} from quote {QuoteId} failed; the onboarding-provisioning job retries it")]
    public static partial void ProvisioningFailed(ILogger logger, Exception exception, string orgId, string quoteId);

    [LoggerMessage(EventId = 7005, Level = LogLevel.Error, Message = "Organisation id {OrgId} of won quote {QuoteId} belongs to another organisation; an operator must resolve it")]
    public static partial void OrganisationIdClash(ILogger logger, string orgId, string quoteId);

    [LoggerMessage(EventId = 7006, Level = LogLevel.Warning, Message = "Lead {LeadId} of won quote {QuoteId} is {Status}; it was left as it is")]
    public static partial void LeadNotMovable(ILogger logger, string leadId, string quoteId, string status);

    [LoggerMessage(EventId = 7007, Level = LogLevel.Information, Message = "Onboarding of {OrgId}: step {Step} done")]
    public static partial void StepDone(ILogger logger, string orgId, string step);
}

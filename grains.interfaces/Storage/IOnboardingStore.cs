using Taskee.Grains.Interfaces;

namespace Taskee.Grains.Storage;

/// <summary>An organisation created from a won quote: which quote and lead, its custom plan, and how far provisioning came.</summary>
/// <param name="ProvisionedAt">Null until the plan, the organisation and the lead's stage are all in place.</param>
public sealed record OnboardingRecord(string OrgId, string QuoteId, string LeadId, string PlanId, DateTimeOffset StartedAt, DateTimeOffset? ProvisionedAt);

public enum QuoteDecisionStatus
{
    Done,
    QuoteNotFound,
    AlreadyDecided,
    LeadLost,
    LeadWonElsewhere,
    OrganisationTaken,
}

/// <summary>The outcome of deciding a quote; <see cref="Quote"/> is its state after (or as it is, when refused).</summary>
public sealed record QuoteDecisionResult(QuoteDecisionStatus Status, QuoteRecord? Quote, OnboardingRecord? Onboarding = null);

/// <summary>What the onboarding checklist reads from the organisation's own state; null where the step has not happened.</summary>
/// <param name="ScimFirstUsedAt">The earliest recorded use of one of the organisation's SCIM keys.</param>
/// <param name="AdminAddedAt">When the first member with role owner or admin was added.</param>
/// <param name="LeadOwner">The salesperson owning the lead: the organisation's account manager.</param>
public sealed record OnboardingFacts(DateTimeOffset? SsoConfiguredAt, DateTimeOffset? ScimFirstUsedAt, DateTimeOffset? AdminAddedAt, string? LeadOwner);

/// <summary>A checklist step recorded done: when, and whether someone ticked it by hand.</summary>
public sealed record OnboardingStepRecord(string Step, DateTimeOffset DoneAt, bool Manual);

/// <summary>
/// Quote decisions and the onboardings they start. Winning a quote is one transaction: the quote's status, the lead's link to
/// the organisation, the onboarding row and the audit event (platform chain) commit together or not at all.
/// </summary>
public interface IOnboardingStore
{
    /// <summary>
    /// Marks the open quote won for organisation <paramref name="orgId"/> on plan <paramref name="planId"/>, links its lead and
    /// starts the onboarding. Refused, with nothing written, when the quote is decided already, the lead is lost or linked
    /// to another organisation, or the organisation id is taken.
    /// </summary>
    Task<QuoteDecisionResult> WinAsync(string quoteId, string orgId, string planId, DateTimeOffset now, AuditRecord audit, ChangeContext context,
        CancellationToken ct = default);

    /// <summary>Marks the open quote lost; <see cref="QuoteDecisionStatus.AlreadyDecided"/> when it is not open.</summary>
    Task<QuoteDecisionResult> LoseAsync(string quoteId, DateTimeOffset now, AuditRecord audit, ChangeContext context, CancellationToken ct = default);

    Task<OnboardingRecord?> GetAsync(string orgId, CancellationToken ct = default);

    Task<OnboardingRecord?> FindByQuoteAsync(string quoteId, CancellationToken ct = default);

    /// <summary>Onboardings whose provisioning was left unfinished, started before <paramref name="startedBefore"/>.</summary>
    Task<IReadOnlyList<OnboardingRecord>> ListUnprovisionedAsync(DateTimeOffset startedBefore, int limit, CancellationToken ct = default);

    /// <summary>Records provisioning finished, with its audit event (the organisation's chain); false when it was already.</summary>
    Task<bool> MarkProvisionedAsync(string orgId, DateTimeOffset now, AuditRecord audit, ChangeContext context, CancellationToken ct = default);

    Task<OnboardingFacts> ReadFactsAsync(OnboardingRecord onboarding, CancellationToken ct = default);

    Task<IReadOnlyList<OnboardingStepRecord>> ListStepsAsync(string orgId, CancellationToken ct = default);

    /// <summary>
    /// Records steps done that were not recorded yet, each with its audit event (the organisation's chain) in one transaction;
    /// a step already recorded keeps its first time. Returns the steps this call recorded.
    /// </summary>
    Task<IReadOnlyList<OnboardingStepRecord>> RecordStepsAsync(string orgId, IReadOnlyList<OnboardingStepRecord> steps,
        Func<OnboardingStepRecord, AuditRecord> audit, DateTimeOffset now, ChangeContext context, CancellationToken ct = default);

    /// <summary>Removes a hand-ticked step with its audit event; false when it was not recorded.</summary>
    Task<bool> ClearStepAsync(string orgId, string step, DateTimeOffset now, AuditRecord audit, ChangeContext context, CancellationToken ct = default);
}

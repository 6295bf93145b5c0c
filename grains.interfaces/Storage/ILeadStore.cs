using Taskee.Grains.Interfaces;
using Taskee.Grains.Sales;

namespace Taskee.Grains.Storage;

/// <summary>Who to talk to: the personal part of a lead, kept out of audit events.</summary>
public sealed record LeadContact(string Name, string Email, string? Phone);

/// <summary>The consent the prospect gave to be contacted: the exact text shown, its version, and when.</summary>
public sealed record LeadConsent(string Version, string Text, DateTimeOffset GivenAt);

/// <summary>One stage of a lead's life: entered at, left at (null while in it).</summary>
public sealed record LeadStatusPeriod(string Status, DateTimeOffset EnteredAt, DateTimeOffset? LeftAt);

/// <summary>
/// How far the lead's hand-off to the CRM has come: the CRM's id once a delivery succeeded, and the deliveries still
/// waiting (with the last error and the next attempt, when one failed).
/// </summary>
public sealed record CrmSyncState(string? CrmId, DateTimeOffset? SyncedAt, int Pending, int Attempts, string? LastError, DateTimeOffset? NextAttemptAt);

/// <summary>A lead as stored.</summary>
public sealed record LeadRecord(
    string Id,
    DateTimeOffset CreatedAt,
    LeadAnswers Answers,
    LeadContact Contact,
    string Language,
    LeadConsent Consent,
    QualificationResult Qualification,
    string Status,
    string? Owner,
    string? Notes,
    long Version,
    DateTimeOffset UpdatedAt,
    IReadOnlyList<LeadStatusPeriod> History,
    CrmSyncState Crm)
{
    /// <summary>The organisation the lead's won quote created; null before.</summary>
    public string? OrganisationId { get; init; }
}

/// <summary>What sales changes on a lead; a new <see cref="Status"/> starts a new stage and a CRM hand-off.</summary>
public sealed record LeadUpdate(string Status, string? Owner, string? Notes, bool StatusChanged, DateTimeOffset At);

/// <summary>One pending hand-off of a lead to the CRM, claimed by one node at a time.</summary>
/// <param name="Id">Stable across retries: the webhook's message id, so a receiver can drop a repeat.</param>
public sealed record CrmOutboxItem(string Id, string LeadId, string Reason, int Attempts, DateTimeOffset CreatedAt);

/// <summary>
/// Leads of the enterprise intake and their CRM outbox. Every write commits the lead, its audit event (platform chain)
/// and, where the lead must reach the CRM, its outbox row in one transaction: a hand-off is never lost.
/// </summary>
public interface ILeadStore
{
    /// <summary>Stores a new lead in stage <c>new</c>; with <paramref name="handToCrm"/> also its first outbox row.</summary>
    Task CreateAsync(LeadRecord lead, bool handToCrm, AuditRecord audit, ChangeContext context, CancellationToken ct = default);

    Task<LeadRecord?> GetAsync(string leadId, CancellationToken ct = default);

    /// <summary>Newest first; <paramref name="before"/> is the id of the last lead of the previous page.</summary>
    Task<IReadOnlyList<LeadRecord>> ListAsync(string? status, string? before, int limit, CancellationToken ct = default);

    /// <summary>
    /// Applies the update when the lead is still at <paramref name="baseVersion"/>; false when it is not (or is gone) and
    /// nothing was written. A status change closes the current stage, opens the next and queues a CRM hand-off.
    /// </summary>
    Task<bool> UpdateAsync(string leadId, long baseVersion, LeadUpdate update, AuditRecord audit, ChangeContext context, CancellationToken ct = default);

    /// <summary>
    /// Claims up to <paramref name="limit"/> due hand-offs for <paramref name="lease"/>, at most one per lead and always
    /// its oldest, so the CRM sees a lead's changes in order and no other node sends the same one meanwhile.
    /// </summary>
    Task<IReadOnlyList<CrmOutboxItem>> ClaimDueAsync(string holder, DateTimeOffset now, TimeSpan lease, int limit, CancellationToken ct = default);

    /// <summary>Marks a claimed hand-off delivered and keeps the CRM's id on the lead; a new or changed id is audited.</summary>
    Task CompleteAsync(CrmOutboxItem item, string? crmId, string provider, DateTimeOffset now, CancellationToken ct = default);

    /// <summary>Releases a claimed hand-off after a failure; it is tried again at <paramref name="nextAttemptAt"/>.</summary>
    Task RetryAsync(string itemId, DateTimeOffset nextAttemptAt, string error, CancellationToken ct = default);
}

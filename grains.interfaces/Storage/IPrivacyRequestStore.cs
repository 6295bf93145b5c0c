using Taskee.Grains.Interfaces;

namespace Taskee.Grains.Storage;

/// <summary>The kinds and states of a data-subject request (issue 14 §3), as the API spells them.</summary>
public static class PrivacyRequestKinds
{
    public const string Access = "access";
    public const string Erasure = "erasure";

    public const string Pending = "pending";
    public const string Running = "running";
    public const string Completed = "completed";
    public const string Failed = "failed";
}

/// <summary>
/// One data-subject request. <paramref name="MemberId"/> and <paramref name="Emails"/> name the person until an erasure
/// completes (then null); <paramref name="Erased"/> is what the erasure removed (counts, as JSON) and the chain head after
/// it, <paramref name="Receipt"/> the signed receipt.
/// </summary>
public sealed record PrivacyRequest(
    string Id, string OrgId, string Kind, string? MemberId, IReadOnlyList<string> Emails, string Status,
    DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt, DateTimeOffset? CompletedAt, string? Error,
    string? Erased, long? ErasedSeq, string? ErasedHash, string? Receipt);

/// <summary>What an erasure removed besides the member row (which the organisation grain removes first).</summary>
public sealed record ErasureCounts(int Sessions, int ScimUsers, int ScimGroupMemberships, int ApiKeysRenamed, int IdempotentAnswers, int AuditKeysDestroyed);

/// <summary>The rows about one person that the access bundle shows besides audit events (which are streamed).</summary>
public sealed record PersonRecords(
    Member? Member, PersonScimUser? ScimUser, IReadOnlyList<string> ScimGroupIds, IReadOnlyList<PersonSession> Sessions, IReadOnlyList<PersonApiKey> ApiKeys);

/// <summary>A SCIM user as stored; <paramref name="Attributes"/> is the stored JSON (name, displayName, emails, profile).</summary>
public sealed record PersonScimUser(string Id, string UserName, string? ExternalId, bool Active, string Attributes);

public sealed record PersonSession(string Id, string Amr, DateTimeOffset CreatedAt, DateTimeOffset ExpiresAt, DateTimeOffset? RevokedAt);

public sealed record PersonApiKey(string Id, string Name, DateTimeOffset CreatedAt);

public interface IPrivacyRequestStore
{
    /// <summary>Records a new pending request (audited as <c>privacy.request.filed</c>, naming no person).</summary>
    Task FileAsync(PrivacyRequest request, AuditRecord audit, ChangeContext context, CancellationToken ct = default);

    /// <summary>The request, only within its organisation (another organisation's id is null).</summary>
    Task<PrivacyRequest?> GetAsync(string orgId, string id, CancellationToken ct = default);

    /// <summary>Pending and running requests, oldest first: running ones were interrupted (a restart) and resume.</summary>
    Task<IReadOnlyList<PrivacyRequest>> DueAsync(int limit, CancellationToken ct = default);

    Task MarkRunningAsync(string id, CancellationToken ct = default);

    /// <summary>The member id of the person with this e-mail (members, then SCIM users), or null.</summary>
    Task<string?> FindMemberIdByEmailAsync(string orgId, string email, CancellationToken ct = default);

    /// <summary>The member id of the SCIM user with this externalId, or null.</summary>
    Task<string?> FindMemberIdByScimExternalIdAsync(string orgId, string externalId, CancellationToken ct = default);

    /// <summary>True when the organisation holds a member or SCIM user with this id.</summary>
    Task<bool> KnowsMemberAsync(string orgId, string memberId, CancellationToken ct = default);

    /// <summary>Every e-mail stored for the person (member row and SCIM attributes), lower-cased.</summary>
    Task<IReadOnlyList<string>> EmailsOfAsync(string orgId, string memberId, CancellationToken ct = default);

    Task<PersonRecords> ReadPersonAsync(string orgId, string memberId, IReadOnlyList<string> emails, CancellationToken ct = default);

    /// <summary>
    /// In one transaction: deletes the person's SCIM rows and sessions, renames API keys whose name holds their id or
    /// e-mail, deletes replayable answers that repeat their e-mail, destroys their audit keys, appends
    /// <c>privacy.erasure.completed</c>, records the counts and the chain head after it, and forgets who it was about.
    /// </summary>
    Task<PrivacyRequest> EraseAsync(PrivacyRequest request, ChangeContext context, CancellationToken ct = default);

    /// <summary>Completes the request (an erasure with its signed receipt); an access request is audited here.</summary>
    Task CompleteAsync(PrivacyRequest request, string? receipt, ChangeContext context, CancellationToken ct = default);

    /// <summary>Fails the request with a reason (audited as <c>privacy.request.failed</c>).</summary>
    Task FailAsync(PrivacyRequest request, string error, ChangeContext context, CancellationToken ct = default);
}

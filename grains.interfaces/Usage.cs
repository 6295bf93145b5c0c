namespace Taskee.Grains.Interfaces;

/// <summary>Why a usage answer is what it is. Names are part of the public API.</summary>
public static class UsageReason
{
    public const string Ok = "ok";
    public const string LimitReached = "limit_reached";
    public const string SoftLimitExceeded = "soft_limit_exceeded";
    public const string OrganisationSuspended = "organisation_suspended";
    public const string OrganisationCancelled = "organisation_cancelled";

    /// <summary>The organisation is being offboarded (its data is deleted when the export window ends).</summary>
    public const string OrganisationOffboarding = "organisation_offboarding";
    public const string LedgerUnavailable = "ledger_unavailable";

    /// <summary>No such organisation: never sent in a 200; the API answers 404.</summary>
    public const string OrganisationNotFound = "organisation_not_found";

    /// <summary>The Idempotency-Key was used for another metric or amount: never sent in a 200; the API answers 422.</summary>
    public const string IdempotencyKeyConflict = "idempotency_key_conflict";
}

/// <summary>How a plan enforces a metric's limit.</summary>
public static class LimitPolicy
{
    /// <summary>Deny what would go over the limit.</summary>
    public const string Hard = "hard";

    /// <summary>Allow it, and record the overage.</summary>
    public const string Soft = "soft";

    public static bool IsKnown(string policy) => policy is Hard or Soft;
}

/// <summary>
/// The answer to "may this organisation use <c>amount</c> more of <c>metric</c>?". A struct, so the hot path
/// allocates nothing. Exact: the organisation's one grain activation counts every unit.
/// </summary>
[GenerateSerializer, Immutable]
[Alias("UsageResult")]
public readonly record struct UsageResult(bool Allowed, long Remaining, long Limit, long Used, DateTimeOffset? ResetsAt, string Reason);

/// <summary>A member of an organisation: each holds one seat.</summary>
[GenerateSerializer, Immutable]
[Alias("Member")]
public sealed record Member(string OrgId, string UserId, string Email, string Role, DateTimeOffset AddedAt);

/// <summary>Roles a member can hold.</summary>
public static class MemberRoles
{
    /// <summary>Holds roles and SSO: only an owner makes or unmakes one, and the last one stays.</summary>
    public const string Owner = "owner";

    public static readonly IReadOnlyList<string> BuiltIn = ["owner", "admin", "billing", "auditor", "member"];
}

/// <summary>The outcome of adding or removing a member.</summary>
[GenerateSerializer]
[Alias("SeatChange")]
public enum SeatChange
{
    Done,
    NoSuchOrganisation,
    AlreadyMember,
    NotMember,
    SeatLimitReached,
}

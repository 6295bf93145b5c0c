namespace Taskee.Grains.Interfaces;

/// <summary>Why a usage answer is what it is. Names are part of the public API.</summary>
public static class UsageReason
{
    public const string Ok = "ok";
    public const string LimitReached = "limit_reached";
    public const string SoftLimitExceeded = "soft_limit_exceeded";
    public const string OrganisationSuspended = "organisation_suspended";
    public const string OrganisationCancelled = "organisation_cancelled";
    public const string LedgerUnavailable = "ledger_unavailable";
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
/// allocates nothing. <see cref="Used"/> and <see cref="Remaining"/> are this node's view: exact for what it
/// admitted, at most one flush interval behind for other nodes.
/// </summary>
public readonly record struct UsageResult(bool Allowed, long Remaining, long Limit, long Used, DateTimeOffset? ResetsAt, string Reason);

/// <summary>A member of an organisation: each holds one seat.</summary>
public sealed record Member(string OrgId, string UserId, string Email, string Role, DateTimeOffset AddedAt);

/// <summary>Roles a member can hold.</summary>
public static class MemberRoles
{
    public static readonly IReadOnlyList<string> BuiltIn = ["owner", "admin", "billing", "auditor", "member"];
}

/// <summary>The outcome of adding or removing a member.</summary>
public enum SeatChange
{
    Done,
    NoSuchOrganisation,
    AlreadyMember,
    NotMember,
    SeatLimitReached,
}

namespace Taskee.Grains.Interfaces;

/// <summary>
/// An admin's request to give a member another role. <paramref name="ExpectedVersion"/> is the organisation's version
/// the admin read (If-Match; null for none): members carry no version of their own, so a role change is a change of the
/// organisation. <paramref name="MayChangeOwners"/>: the caller holds <c>roles:write</c>, needed to make or unmake an owner.
/// </summary>
[GenerateSerializer, Immutable]
[Alias("MemberRoleRequest")]
public sealed record MemberRoleRequest(string UserId, string Role, long? ExpectedVersion, bool MayChangeOwners);

/// <summary>Why a role change was or was not made.</summary>
[GenerateSerializer]
[Alias("MemberRoleStatus")]
public enum MemberRoleStatus
{
    /// <summary>Changed (or it already had the role: nothing written).</summary>
    Done,
    NoSuchOrganisation,
    NotMember,
    /// <summary>Neither a built-in role nor one of the organisation's custom roles.</summary>
    UnknownRole,
    /// <summary>Making or unmaking an owner without <c>roles:write</c>.</summary>
    OwnerChangeNotAllowed,
    /// <summary>The member is the organisation's only owner.</summary>
    LastOwner,
    /// <summary>The organisation changed since the version the caller read.</summary>
    VersionMismatch,
}

/// <summary>The outcome: the member as it is now (null unless Done) and the organisation's current version.</summary>
[GenerateSerializer, Immutable]
[Alias("MemberRoleResult")]
public sealed record MemberRoleResult(MemberRoleStatus Status, Member? Member, long Version);

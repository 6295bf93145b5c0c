using System.Collections.Immutable;

namespace Taskee.Grains.Interfaces.Scim;

[GenerateSerializer, Immutable]
[Alias("ScimName")]
public sealed record ScimName(
    string? GivenName,
    string? FamilyName,
    string? Formatted,
    string? MiddleName = null,
    string? HonorificPrefix = null,
    string? HonorificSuffix = null);

[GenerateSerializer, Immutable]
[Alias("ScimEmail")]
public sealed record ScimEmail(string Value, string? Type, bool Primary);

/// <summary>
/// A user an organisation's directory provisioned over SCIM. Its <see cref="Id"/> is also its member's user id; an
/// <see cref="Active"/> user is a member (holds a seat), an inactive one is not. Groups are read from the groups' members.
/// </summary>
/// <param name="BaseRole">The member role when no mapped group grants one: <c>member</c>, or the role a linked member had.</param>
/// <param name="Profile">
/// The other attributes the directory sent (title, phoneNumbers, addresses, the EnterpriseUser extension, ...) as the
/// JSON object the API validated; nothing in the control plane reads them, they are kept to be returned as sent.
/// </param>
[GenerateSerializer, Immutable]
[Alias("ScimUser")]
public sealed record ScimUser(
    string OrgId,
    string Id,
    string UserName,
    string? ExternalId,
    ScimName? Name,
    string? DisplayName,
    ImmutableArray<ScimEmail> Emails,
    bool Active,
    string BaseRole,
    long Version,
    DateTimeOffset Created,
    DateTimeOffset LastModified,
    string? Profile = null)
{
    /// <summary>The member's e-mail: the primary e-mail, else the first, else the userName when it is an e-mail.</summary>
    public string? MemberEmail =>
        Emails.FirstOrDefault(e => e.Primary)?.Value ?? (Emails.Length > 0 ? Emails[0].Value : null)
        ?? (ScimEmails.LooksLikeEmail(UserName) ? UserName : null);
}

/// <summary>A directory group; its members are SCIM user ids of the same organisation.</summary>
[GenerateSerializer, Immutable]
[Alias("ScimGroup")]
public sealed record ScimGroup(
    string OrgId,
    string Id,
    string DisplayName,
    string? ExternalId,
    ImmutableArray<string> Members,
    long Version,
    DateTimeOffset Created,
    DateTimeOffset LastModified);

/// <summary>One row of an organisation's explicit group → role mapping.</summary>
[GenerateSerializer, Immutable]
[Alias("ScimGroupRole")]
public sealed record ScimGroupRole(string GroupName, string Role);

/// <summary>The outcome of a SCIM write; <see cref="ScimWriteStatus.VersionMismatch"/> and <see cref="ScimWriteStatus.Done"/> carry the stored value.</summary>
[GenerateSerializer]
[Alias("ScimWriteStatus")]
public enum ScimWriteStatus
{
    Done,
    NotFound,
    VersionMismatch,
    /// <summary>Another user of the organisation has this userName (case-insensitively), or the e-mail's member is linked to another user.</summary>
    UserNameTaken,
    SeatLimitReached,
    /// <summary>A group member that is not a user of the organisation.</summary>
    UnknownMember,
    NoSuchOrganisation,
}

[GenerateSerializer, Immutable]
[Alias("ScimWriteResult`1")]
public readonly record struct ScimWriteResult<T>(ScimWriteStatus Status, T? Value, string? Detail = null);

public static class ScimEmails
{
    public static bool LooksLikeEmail(string? text) =>
        text is { Length: > 2 and <= 254 } && text.IndexOf('@') is var at && at > 0 && at < text.Length - 1
        && text.IndexOf('@', at + 1) < 0 && text.AsSpan(at).Contains('.') && !text.Any(char.IsWhiteSpace);
}

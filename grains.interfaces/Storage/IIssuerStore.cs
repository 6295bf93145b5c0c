using Taskee.Grains.Interfaces;

namespace Taskee.Grains.Storage;

/// <summary>
/// One of Taskee's own signing keys. A key is published (in the JWKS) from the moment it is stored, signs from
/// <see cref="SignsFrom"/> until <see cref="SignsUntil"/>, and stays published until <see cref="PublishedUntil"/>, when
/// every token it signed has expired.
/// </summary>
/// <param name="Generation">1, 2, 3 ...: unique, so silos that rotate at the same time store one key between them.</param>
/// <param name="PublicJwk">The public key as a JWK (JSON), exactly as the JWKS serves it.</param>
/// <param name="ProtectedPrivateKey">PKCS#8 private key protected with ASP.NET Data Protection, base64.</param>
public sealed record SigningKeyRecord(
    string Kid, long Generation, string Algorithm, string PublicJwk, string ProtectedPrivateKey,
    DateTimeOffset CreatedAt, DateTimeOffset SignsFrom, DateTimeOffset SignsUntil, DateTimeOffset PublishedUntil);

/// <summary>The refresh tokens of one sign-in: each refresh replaces the family's token with the next one.</summary>
/// <param name="Amr">How the person signed in (<c>saml</c>, <c>oidc</c>); every access token of the family carries it.</param>
public sealed record RefreshFamily(string Id, string OrgId, string MemberId, string Amr);

public enum RedeemStatus
{
    /// <summary>The token was unused: it is used now and the next token of its family is stored.</summary>
    Redeemed,
    Unknown,
    Expired,
    /// <summary>Its family was revoked (sign-out, revocation, reuse, member removed).</summary>
    Revoked,
    /// <summary>The token had been used before: its whole family is revoked now.</summary>
    Reused,
    /// <summary>The member is no longer in the organisation: the family is revoked now.</summary>
    MemberGone,
}

/// <param name="Member">The member as stored now (for <see cref="RedeemStatus.Redeemed"/>): its current role goes into the token.</param>
public sealed record RedeemResult(RedeemStatus Status, RefreshFamily? Family, Member? Member);

/// <summary>Signing keys, refresh token families and the member lookups of sign-in.</summary>
public interface IIssuerStore
{
    Task<IReadOnlyList<SigningKeyRecord>> ListKeysAsync(CancellationToken ct = default);

    /// <summary>Stores a key unless its generation exists already (another silo rotated first); true when stored.</summary>
    Task<bool> AddKeyAsync(SigningKeyRecord key, CancellationToken ct = default);

    /// <summary>Deletes keys no longer published since before <paramref name="before"/>.</summary>
    Task<int> PurgeKeysAsync(DateTimeOffset before, CancellationToken ct = default);

    /// <summary>Starts a family with its first token (hash) and writes the sign-in's audit event, in one transaction.</summary>
    Task StartFamilyAsync(RefreshFamily family, string tokenHash, DateTimeOffset expiresAt, AuditRecord audit, ChangeContext context, CancellationToken ct = default);

    /// <summary>
    /// Uses a refresh token once (a conditional UPDATE, so two silos cannot both redeem it) and stores the next one of its
    /// family; a token used before revokes its family (with an audit event), as does a member who is gone.
    /// </summary>
    Task<RedeemResult> RedeemAsync(string tokenHash, string nextHash, DateTimeOffset nextExpiresAt, ChangeContext context, CancellationToken ct = default);

    /// <summary>Revokes the family of a token (audited with <paramref name="reason"/>); null when the token is unknown.</summary>
    Task<RefreshFamily?> RevokeFamilyAsync(string tokenHash, string reason, ChangeContext context, CancellationToken ct = default);

    /// <summary>Deletes families (and their tokens) that expired before <paramref name="before"/>.</summary>
    Task<int> PurgeFamiliesAsync(DateTimeOffset before, CancellationToken ct = default);

    /// <summary>The member with this e-mail address, compared case-insensitively; null when there is none.</summary>
    Task<Member?> FindMemberByEmailAsync(string orgId, string email, CancellationToken ct = default);
}

/// <summary>The XML elements of ASP.NET Data Protection's key ring, shared by every silo (synchronous: Data Protection's repository contract is).</summary>
public interface IKeyRingStore
{
    IReadOnlyList<string> ListElements();

    void StoreElement(string name, string xml);
}

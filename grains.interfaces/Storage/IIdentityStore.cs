using Taskee.Grains.Interfaces;

namespace Taskee.Grains.Storage;

/// <summary>An organisation's own identity provider: its tokens may act on this organisation only.</summary>
/// <param name="OrgClaim">Claim that must carry the organisation id, when the issuer puts one in tokens; null to not check.</param>
/// <param name="Oidc">Sign-in of the organisation's people at this issuer (authorization code + PKCE); null when not set up.</param>
public sealed record SsoSettings(string OrgId, string Issuer, string Audience, string? OrgClaim, string RolesClaim, OidcSignIn? Oidc = null);

/// <summary>An organisation's OIDC client at its issuer, and how the people who sign in with it become members.</summary>
/// <param name="ProtectedClientSecret">The client secret as ASP.NET Data Protection protected it; never the secret itself.</param>
/// <param name="Scopes">Space-separated, always with <c>openid</c>.</param>
public sealed record OidcSignIn(
    string ClientId, string? ProtectedClientSecret, string GroupsClaim, IReadOnlyDictionary<string, string> GroupRoles,
    string DefaultRole, bool JitProvisioning, string Scopes)
{
    public const string DefaultGroupsClaim = "groups";
    public const string DefaultDefaultRole = "member";
    public const string DefaultScopes = "openid email profile";

    // Value equality over the group table too: the schemes are rebuilt only when a reload finds the settings changed.
    public bool Equals(OidcSignIn? other) =>
        other is not null && ClientId == other.ClientId && ProtectedClientSecret == other.ProtectedClientSecret
        && GroupsClaim == other.GroupsClaim && DefaultRole == other.DefaultRole && JitProvisioning == other.JitProvisioning
        && Scopes == other.Scopes && GroupRoles.Count == other.GroupRoles.Count
        && GroupRoles.All(g => other.GroupRoles.TryGetValue(g.Key, out var role) && role == g.Value);

    public override int GetHashCode() => HashCode.Combine(ClientId, ProtectedClientSecret, GroupsClaim, DefaultRole, JitProvisioning, Scopes, GroupRoles.Count);
}

/// <summary>A role an organisation defined, with the organisation permissions it grants.</summary>
public sealed record CustomRole(string OrgId, string Role, IReadOnlyList<string> Permissions);

public interface IIdentityStore
{
    Task<IReadOnlyList<CustomRole>> ListRolesAsync(string orgId, CancellationToken ct = default);

    /// <summary>Creates or replaces a custom role; <see cref="WriteStatus.Done"/> for both, with its audit event.</summary>
    Task<WriteResult<CustomRole>> PutRoleAsync(CustomRole role, AuditRecord audit, ChangeContext context, CancellationToken ct = default);

    /// <summary>False when there was no such role; nothing is written then.</summary>
    Task<bool> DeleteRoleAsync(string orgId, string role, AuditRecord audit, ChangeContext context, CancellationToken ct = default);

    Task<SsoSettings?> GetSsoAsync(string orgId, CancellationToken ct = default);

    Task<IReadOnlyList<SsoSettings>> ListSsoAsync(CancellationToken ct = default);

    /// <summary>Sets an organisation's SSO; <see cref="WriteStatus.Conflict"/> when another organisation has the issuer.</summary>
    Task<WriteResult<SsoSettings>> PutSsoAsync(SsoSettings settings, AuditRecord audit, ChangeContext context, CancellationToken ct = default);
}

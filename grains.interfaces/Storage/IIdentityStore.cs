using Taskee.Grains.Interfaces;

namespace Taskee.Grains.Storage;

/// <summary>An organisation's own identity provider: its tokens may act on this organisation only.</summary>
/// <param name="OrgClaim">Claim that must carry the organisation id, when the issuer puts one in tokens; null to not check.</param>
public sealed record SsoSettings(string OrgId, string Issuer, string Audience, string? OrgClaim, string RolesClaim);

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

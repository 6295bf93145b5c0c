using Taskee.Grains.Interfaces;

namespace Taskee.Grains.Storage;

/// <summary>An organisation's SAML identity provider and how people who sign in through it are treated.</summary>
/// <param name="IdpCertificates">PEM certificates whose keys may sign (one, or two during a rotation); nothing else is trusted.</param>
/// <param name="EmailAttribute">Attribute carrying the e-mail address; null to take the NameID when it is an e-mail.</param>
/// <param name="RolesAttribute">Attribute carrying group names, mapped to roles by <paramref name="GroupRoles"/>; null for none.</param>
public sealed record SamlSettings(
    string OrgId, string IdpEntityId, string IdpSsoUrl, IReadOnlyList<string> IdpCertificates, string? EmailAttribute,
    string? RolesAttribute, IReadOnlyDictionary<string, string> GroupRoles, string DefaultRole, bool AllowIdpInitiated, bool JitProvisioning);

/// <summary>An AuthnRequest sent and not answered yet: the page to return to once its answer is accepted.</summary>
public sealed record PendingSamlRequest(string RequestId, string OrgId, string ReturnTo, DateTimeOffset ExpiresAt);

public interface ISamlStore
{
    Task<SamlSettings?> GetAsync(string orgId, CancellationToken ct = default);

    /// <summary>Creates or replaces the settings, with the audit event, in one transaction.</summary>
    Task PutAsync(SamlSettings settings, AuditRecord audit, ChangeContext context, CancellationToken ct = default);

    /// <summary>False when the organisation had no SAML settings; nothing is written then.</summary>
    Task<bool> DeleteAsync(string orgId, AuditRecord audit, ChangeContext context, CancellationToken ct = default);

    Task RememberRequestAsync(PendingSamlRequest request, CancellationToken ct = default);

    /// <summary>
    /// Takes the request out: the first caller for an unexpired request of this organisation gets it, every later
    /// one (another silo included) gets null, so an InResponseTo is usable once.
    /// </summary>
    Task<PendingSamlRequest?> ConsumeRequestAsync(string orgId, string requestId, DateTimeOffset now, CancellationToken ct = default);

    /// <summary>Records an accepted assertion's ID; false when it was recorded before (a replay), on any silo.</summary>
    Task<bool> RecordAssertionAsync(string orgId, string assertionId, DateTimeOffset keepUntil, CancellationToken ct = default);

    /// <summary>Deletes expired requests and assertion IDs past their keep time; returns how many rows went.</summary>
    Task<int> PurgeAsync(DateTimeOffset now, CancellationToken ct = default);
}

using Taskee.Grains.Interfaces;

namespace Taskee.Grains.Storage;

/// <summary>A stored API key. Only a hash of its secret is kept.</summary>
/// <param name="OrgId">The organisation the key acts for; null for a platform key.</param>
public sealed record ApiKeyRecord(
    string Id,
    string? OrgId,
    string Name,
    IReadOnlyList<string> Scopes,
    string SecretHash,
    DateTimeOffset CreatedAt,
    DateTimeOffset? ExpiresAt,
    DateTimeOffset? RevokedAt,
    string? PreviousSecretHash = null,
    DateTimeOffset? PreviousValidUntil = null,
    DateTimeOffset? LastUsedAt = null);

public interface IApiKeyStore
{
    /// <summary>Stores the key with its audit event (in the organisation's chain, or the platform's).</summary>
    Task CreateAsync(ApiKeyRecord key, AuditRecord audit, ChangeContext context, CancellationToken ct = default);

    Task<ApiKeyRecord?> FindAsync(string keyId, CancellationToken ct = default);

    /// <summary>Keys of one organisation, or platform keys when <paramref name="orgId"/> is null; revoked ones included.</summary>
    Task<IReadOnlyList<ApiKeyRecord>> ListAsync(string? orgId, CancellationToken ct = default);

    /// <summary>Revokes a live key of that organisation; false when there is none, and nothing is written.</summary>
    Task<bool> RevokeAsync(string? orgId, string keyId, AuditRecord audit, ChangeContext context, CancellationToken ct = default);

    Task<bool> AnyPlatformKeyAsync(CancellationToken ct = default);

    /// <summary>
    /// Gives a live key a new secret; the old one keeps working until <paramref name="previousValidUntil"/>.
    /// False when there is no such live key of that organisation.
    /// </summary>
    Task<bool> RotateAsync(string? orgId, string keyId, string newSecretHash, DateTimeOffset previousValidUntil, AuditRecord audit,
        ChangeContext context, CancellationToken ct = default);

    /// <summary>Records that the key was used (callers throttle this: it is not an audit event).</summary>
    Task TouchAsync(string keyId, DateTimeOffset at, CancellationToken ct = default);
}

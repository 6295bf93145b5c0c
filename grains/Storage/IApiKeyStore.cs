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
    DateTimeOffset? RevokedAt);

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
}

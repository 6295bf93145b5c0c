using System.Collections.Concurrent;

namespace Taskee.Client;

public sealed record CachedEntitlements(Entitlements Value, string ETag, DateTimeOffset CheckedAt);

/// <summary>
/// The last entitlements of each organisation and their ETag: a singleton, because the factory makes a client per scope.
/// One entry per organisation this service has seen; a product service serves a bounded set of organisations.
/// </summary>
public sealed class EntitlementsCache
{
    private readonly ConcurrentDictionary<string, CachedEntitlements> _entries = new(StringComparer.Ordinal);

    public CachedEntitlements? Get(string orgId) => _entries.GetValueOrDefault(orgId);

    public void Set(string orgId, CachedEntitlements entry) => _entries[orgId] = entry;
}

using System.Collections.Concurrent;
using Taskee.Grains.Storage;

namespace Taskee.Api.Auth;

/// <summary>
/// Keeps key records for a short time so the product API does not read the database per request.
/// A revocation drops the entry at once on this node, and on the others when its change notice arrives
/// (PostgreSQL); at the latest after <see cref="Lifetime"/>.
/// </summary>
public sealed class ApiKeyCache(IApiKeyStore store, TimeProvider clock)
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromSeconds(30);

    private readonly ConcurrentDictionary<string, (ApiKeyRecord? Record, DateTimeOffset Until)> _entries = new(StringComparer.Ordinal);

    public async ValueTask<ApiKeyRecord?> FindAsync(string keyId, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        if (_entries.TryGetValue(keyId, out var entry) && entry.Until > now) return entry.Record;

        var record = await store.FindAsync(keyId, ct);
        // Unknown ids are cached too, so guessing ids cannot hammer the database; bounded by a sweep.
        if (_entries.Count > 100_000) _entries.Clear();
        _entries[keyId] = (record, now + Lifetime);
        return record;
    }

    public void Invalidate(string keyId) => _entries.TryRemove(keyId, out _);

    private readonly ConcurrentDictionary<string, DateTimeOffset> _lastTouched = new(StringComparer.Ordinal);

    /// <summary>Records the key's last use, at most once a minute per key and node: good enough to spot dead keys.</summary>
    public async ValueTask TouchAsync(string keyId, DateTimeOffset now, CancellationToken ct)
    {
        if (_lastTouched.TryGetValue(keyId, out var last) && now - last < TimeSpan.FromMinutes(1)) return;
        _lastTouched[keyId] = now;
        await store.TouchAsync(keyId, now, ct);
    }

    public void Clear() => _entries.Clear();
}

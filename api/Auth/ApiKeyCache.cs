using System.Collections.Concurrent;
using Microsoft.AspNetCore.Authentication;
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

    /// <summary>
    /// A presented <c>Authorization</c> header that was checked against <paramref name="Record"/>, and the answer,
    /// ready to hand out again: one principal per verified key, shared by its requests (nothing in the pipeline changes
    /// a principal).
    /// </summary>
    public sealed record Verified(ApiKeyRecord Record, bool WithPreviousSecret, Task<AuthenticateResult> Answer);

    private readonly ConcurrentDictionary<string, Verified> _verified = new(StringComparer.Ordinal);

    /// <summary>
    /// The earlier verification of this exact header, while it still holds: the key record it was checked against is
    /// still the cached one (not re-read, invalidated or expired), the key is not revoked or expired, and a previous
    /// secret is still in its grace period. Saves parsing, hashing and building claims on every request.
    /// </summary>
    public Verified? FindVerified(string header, DateTimeOffset now)
    {
        if (!_verified.TryGetValue(header, out var verified)) return null;
        var record = verified.Record;
        if (_entries.TryGetValue(record.Id, out var entry) && entry.Until > now && ReferenceEquals(entry.Record, record)
            && record.RevokedAt is null && !(record.ExpiresAt <= now) && !(verified.WithPreviousSecret && !(record.PreviousValidUntil > now)))
            return verified;
        _verified.TryRemove(header, out _);
        return null;
    }

    public void RememberVerified(string header, Verified verified)
    {
        if (_verified.Count > 100_000) _verified.Clear();
        _verified[header] = verified;
    }

    private readonly ConcurrentDictionary<string, DateTimeOffset> _lastTouched = new(StringComparer.Ordinal);

    /// <summary>Records the key's last use, at most once a minute per key and node: good enough to spot dead keys.</summary>
    public async ValueTask TouchAsync(string keyId, DateTimeOffset now, CancellationToken ct)
    {
        if (_lastTouched.TryGetValue(keyId, out var last) && now - last < TimeSpan.FromMinutes(1)) return;
        _lastTouched[keyId] = now;
        await store.TouchAsync(keyId, now, ct);
    }

    public void Clear()
    {
        _entries.Clear();
        _verified.Clear();
    }
}

namespace Taskee.Grains.Storage;

/// <summary>The response first given to a request that carried an Idempotency-Key.</summary>
public sealed record StoredResponse(int StatusCode, string? ContentType, string? ETag, string? Location, byte[] Body);

/// <summary>A reservation of a key, or what an earlier request with the same key left.</summary>
/// <param name="Reserved">True when this request now owns the key and must execute.</param>
/// <param name="RequestHash">The hash of the request that first used the key.</param>
/// <param name="Response">The stored response, or null while the first request is still running.</param>
public sealed record IdempotencyEntry(bool Reserved, string RequestHash, StoredResponse? Response);

public interface IIdempotencyStore
{
    /// <summary>
    /// Claims (<paramref name="scope"/>, <paramref name="key"/>) for this request, or returns what holds it.
    /// A claim left unfinished for longer than <paramref name="staleAfter"/> (its node died) is taken over.
    /// </summary>
    Task<IdempotencyEntry> ReserveAsync(string scope, string key, string requestHash, TimeSpan staleAfter, CancellationToken ct = default);

    Task CompleteAsync(string scope, string key, StoredResponse response, CancellationToken ct = default);

    /// <summary>Drops an unfinished claim (the request failed), so a retry executes again.</summary>
    Task ReleaseAsync(string scope, string key, CancellationToken ct = default);

    /// <summary>Deletes entries older than <paramref name="olderThan"/>; returns how many.</summary>
    Task<int> PurgeAsync(DateTimeOffset olderThan, CancellationToken ct = default);
}

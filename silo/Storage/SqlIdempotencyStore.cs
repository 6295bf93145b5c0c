using System.Data.Common;
using Dapper;
using Taskee.Grains.Storage;

namespace Taskee.Silo.Storage;

public sealed class SqlIdempotencyStore(SqlDialect dialect, TimeProvider clock) : SqlStore(dialect), IIdempotencyStore
{
    private sealed class EntryRow
    {
        public string RequestHash { get; set; } = "";
        public long? StatusCode { get; set; }
        public string? ContentType { get; set; }
        public string? Etag { get; set; }
        public string? Location { get; set; }
        public byte[]? Body { get; set; }
        public string CreatedAt { get; set; } = "";
    }

    public async Task<IdempotencyEntry> ReserveAsync(string scope, string key, string requestHash, TimeSpan staleAfter, CancellationToken ct = default)
    {
        var now = clock.GetUtcNow();
        await using var connection = await OpenAsync(ct);
        try
        {
            await connection.ExecuteAsync(new CommandDefinition(
                "INSERT INTO idempotency_keys (scope, key, request_hash, created_at) VALUES (@scope, @key, @requestHash, @now)",
                new { scope, key, requestHash, now = Iso.ToText(now) }, cancellationToken: ct));
            return new IdempotencyEntry(true, requestHash, null);
        }
        catch (DbException ex) when (Dialect.IsUniqueViolation(ex))
        {
            // Someone used this key before: replay, refuse, or take over a claim whose node died.
        }

        var row = await connection.QuerySingleOrDefaultAsync<EntryRow>(new CommandDefinition(
            "SELECT request_hash, status_code, content_type, etag, location, body, created_at FROM idempotency_keys WHERE scope = @scope AND key = @key",
            new { scope, key }, cancellationToken: ct));
        if (row is null) return await ReserveAsync(scope, key, requestHash, staleAfter, ct); // purged meanwhile

        if (row.StatusCode is { } status)
            return new IdempotencyEntry(false, row.RequestHash, new StoredResponse((int)status, row.ContentType, row.Etag, row.Location, row.Body ?? []));

        if (row.RequestHash == requestHash && Iso.Parse(row.CreatedAt) < now - staleAfter)
        {
            var taken = await connection.ExecuteAsync(new CommandDefinition(
                "UPDATE idempotency_keys SET created_at = @now WHERE scope = @scope AND key = @key AND status_code IS NULL AND created_at = @createdAt",
                new { scope, key, now = Iso.ToText(now), createdAt = row.CreatedAt }, cancellationToken: ct));
            if (taken == 1) return new IdempotencyEntry(true, requestHash, null);
        }
        return new IdempotencyEntry(false, row.RequestHash, null);
    }

    public async Task CompleteAsync(string scope, string key, StoredResponse response, CancellationToken ct = default)
    {
        await using var connection = await OpenAsync(ct);
        await connection.ExecuteAsync(new CommandDefinition("""
            UPDATE idempotency_keys SET status_code = @StatusCode, content_type = @ContentType, etag = @ETag, location = @Location, body = @Body
            WHERE scope = @scope AND key = @key
            """, new { scope, key, response.StatusCode, response.ContentType, response.ETag, response.Location, response.Body }, cancellationToken: ct));
    }

    public async Task ReleaseAsync(string scope, string key, CancellationToken ct = default)
    {
        await using var connection = await OpenAsync(ct);
        await connection.ExecuteAsync(new CommandDefinition(
            "DELETE FROM idempotency_keys WHERE scope = @scope AND key = @key AND status_code IS NULL",
            new { scope, key }, cancellationToken: ct));
    }

    public async Task<int> PurgeAsync(DateTimeOffset olderThan, CancellationToken ct = default)
    {
        await using var connection = await OpenAsync(ct);
        return await connection.ExecuteAsync(new CommandDefinition(
            "DELETE FROM idempotency_keys WHERE created_at < @olderThan", new { olderThan = Iso.ToText(olderThan) }, cancellationToken: ct));
    }
}

using System.Text.Json;
using Dapper;
using Taskee.Grains.Interfaces;
using Taskee.Grains.Storage;

namespace Taskee.Silo.Storage;

public sealed class SqlApiKeyStore(SqlDialect dialect, TimeProvider clock) : SqlStore(dialect), IApiKeyStore
{
    private const string Columns =
        "id, org_id, name, scopes, secret_hash, created_at, expires_at, revoked_at, previous_secret_hash, previous_valid_until, last_used_at";

    private sealed class ApiKeyRow
    {
        public string Id { get; set; } = "";
        public string? OrgId { get; set; }
        public string Name { get; set; } = "";
        public string Scopes { get; set; } = "[]";
        public string SecretHash { get; set; } = "";
        public string CreatedAt { get; set; } = "";
        public string? ExpiresAt { get; set; }
        public string? RevokedAt { get; set; }
        public string? PreviousSecretHash { get; set; }
        public string? PreviousValidUntil { get; set; }
        public string? LastUsedAt { get; set; }

        public ApiKeyRecord ToRecord() => new(Id, OrgId, Name, JsonSerializer.Deserialize<string[]>(Scopes) ?? [],
            SecretHash, Iso.Parse(CreatedAt), Iso.ParseOrNull(ExpiresAt), Iso.ParseOrNull(RevokedAt),
            PreviousSecretHash, Iso.ParseOrNull(PreviousValidUntil), Iso.ParseOrNull(LastUsedAt));
    }

    public Task CreateAsync(ApiKeyRecord key, AuditRecord audit, ChangeContext context, CancellationToken ct = default) =>
        InTransactionAsync(async (connection, transaction) =>
        {
            const string insert = $"""
                INSERT INTO api_keys (id, org_id, name, scopes, secret_hash, created_at, expires_at, revoked_at)
                VALUES (@Id, @OrgId, @Name, @Scopes, @SecretHash, @CreatedAt, @ExpiresAt, NULL)
                """;
            await connection.ExecuteAsync(insert, new
            {
                key.Id, key.OrgId, key.Name, Scopes = StoredJson.Write(key.Scopes), key.SecretHash,
                CreatedAt = Iso.ToText(key.CreatedAt), ExpiresAt = Iso.ToText(key.ExpiresAt),
            }, transaction);
            await AuditAppender.AppendAsync(connection, transaction, Dialect, key.OrgId ?? AuditEvent.PlatformChain, audit, context, clock.GetUtcNow());
            return true;
        }, ct);

    public async Task<ApiKeyRecord?> FindAsync(string keyId, CancellationToken ct = default)
    {
        await using var connection = await OpenAsync(ct);
        var row = await connection.QuerySingleOrDefaultAsync<ApiKeyRow>(
            new CommandDefinition($"SELECT {Columns} FROM api_keys WHERE id = @keyId", new { keyId }, cancellationToken: ct));
        return row?.ToRecord();
    }

    public async Task<IReadOnlyList<ApiKeyRecord>> ListAsync(string? orgId, CancellationToken ct = default)
    {
        await using var connection = await OpenAsync(ct);
        var sql = orgId is null
            ? $"SELECT {Columns} FROM api_keys WHERE org_id IS NULL ORDER BY created_at, id"
            : $"SELECT {Columns} FROM api_keys WHERE org_id = @orgId ORDER BY created_at, id";
        var rows = await connection.QueryAsync<ApiKeyRow>(new CommandDefinition(sql, new { orgId }, cancellationToken: ct));
        return rows.Select(r => r.ToRecord()).ToList();
    }

    public Task<bool> RevokeAsync(string? orgId, string keyId, AuditRecord audit, ChangeContext context, CancellationToken ct = default) =>
        InTransactionAsync(async (connection, transaction) =>
        {
            // The organisation condition is part of the write: another tenant's key id matches no row.
            var sql = orgId is null
                ? "UPDATE api_keys SET revoked_at = @now WHERE id = @keyId AND org_id IS NULL AND revoked_at IS NULL"
                : "UPDATE api_keys SET revoked_at = @now WHERE id = @keyId AND org_id = @orgId AND revoked_at IS NULL";
            var now = clock.GetUtcNow();
            var rows = await connection.ExecuteAsync(sql, new { keyId, orgId, now = Iso.ToText(now) }, transaction);
            if (rows == 0) return false;
            await AuditAppender.AppendAsync(connection, transaction, Dialect, orgId ?? AuditEvent.PlatformChain, audit, context, now);
            await Dialect.NotifyAsync(connection, transaction, new ChangeNotice(ChangeNotice.ApiKey, keyId, 0));
            return true;
        }, ct);

    public async Task<bool> AnyPlatformKeyAsync(CancellationToken ct = default)
    {
        await using var connection = await OpenAsync(ct);
        return await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            "SELECT COUNT(*) FROM api_keys WHERE org_id IS NULL AND revoked_at IS NULL", cancellationToken: ct)) > 0;
    }

    public Task<bool> RotateAsync(string? orgId, string keyId, string newSecretHash, DateTimeOffset previousValidUntil, AuditRecord audit,
        ChangeContext context, CancellationToken ct = default) =>
        InTransactionAsync(async (connection, transaction) =>
        {
            var sql = $"""
                UPDATE api_keys SET previous_secret_hash = secret_hash, previous_valid_until = @until, secret_hash = @newSecretHash
                WHERE id = @keyId AND {(orgId is null ? "org_id IS NULL" : "org_id = @orgId")} AND revoked_at IS NULL
                """;
            var rows = await connection.ExecuteAsync(sql, new { keyId, orgId, newSecretHash, until = Iso.ToText(previousValidUntil) }, transaction);
            if (rows == 0) return false;
            await AuditAppender.AppendAsync(connection, transaction, Dialect, orgId ?? AuditEvent.PlatformChain, audit, context, clock.GetUtcNow());
            await Dialect.NotifyAsync(connection, transaction, new ChangeNotice(ChangeNotice.ApiKey, keyId, 0));
            return true;
        }, ct);

    public async Task TouchAsync(string keyId, DateTimeOffset at, CancellationToken ct = default)
    {
        await using var connection = await OpenAsync(ct);
        await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE api_keys SET last_used_at = @at WHERE id = @keyId", new { keyId, at = Iso.ToText(at) }, cancellationToken: ct));
    }
}

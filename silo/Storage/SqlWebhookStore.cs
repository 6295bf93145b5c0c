using System.Collections.Immutable;
using System.Data.Common;
using System.Text.Json;
using Dapper;
using Microsoft.AspNetCore.DataProtection;
using Taskee.Grains.Interfaces;
using Taskee.Grains.Storage;

namespace Taskee.Silo.Storage;

/// <summary>
/// Webhook endpoints. Secrets are protected with Data Protection (whose key ring every silo shares), bound to the
/// endpoint id, so a protected value copied onto another endpoint's row does not open there.
/// </summary>
public sealed class SqlWebhookStore(SqlDialect dialect, IDataProtectionProvider protection, TimeProvider clock) : SqlStore(dialect), IWebhookStore
{
    private const string SecretPurpose = "Taskee.Webhooks.Secret.v1";

    /// <summary>The endpoint columns <see cref="EndpointRow"/> maps (the delivery store reads them beside its queue).</summary>
    internal const string Columns =
        "id, org_id, url, events, description, enabled, disabled_reason, version, created_at, updated_at, previous_secret_expires_at";

    internal class EndpointRow
    {
        public string Id { get; set; } = "";
        public string OrgId { get; set; } = "";
        public string Url { get; set; } = "";
        public string Events { get; set; } = "[]";
        public string? Description { get; set; }
        public long Enabled { get; set; }
        public string? DisabledReason { get; set; }
        public long Version { get; set; }
        public string CreatedAt { get; set; } = "";
        public string UpdatedAt { get; set; } = "";
        public string? PreviousSecretExpiresAt { get; set; }

        public WebhookEndpoint ToRecord() => new(Id, OrgId, Url,
            (JsonSerializer.Deserialize<string[]>(Events) ?? []).ToImmutableArray(), Description, Enabled != 0, DisabledReason,
            Version, Iso.Parse(CreatedAt), Iso.Parse(UpdatedAt), Iso.ParseOrNull(PreviousSecretExpiresAt));
    }

    private sealed class SecretRow
    {
        public string Secret { get; set; } = "";
        public string? PreviousSecret { get; set; }
        public string? PreviousSecretExpiresAt { get; set; }
    }

    public Task CreateAsync(WebhookEndpoint endpoint, string secret, AuditRecord audit, ChangeContext context, CancellationToken ct = default) =>
        InTransactionAsync(async (connection, transaction) =>
        {
            var created = await AuditAppender.AppendAsync(connection, transaction, Dialect, endpoint.OrgId, audit, context, clock.GetUtcNow());
            const string insert = """
                INSERT INTO webhook_endpoints (id, org_id, url, events, description, enabled, disabled_reason, secret, version,
                    created_at, updated_at, cursor_seq)
                VALUES (@Id, @OrgId, @Url, @Events, @Description, @Enabled, NULL, @Secret, 1, @CreatedAt, @CreatedAt, @Cursor)
                """;
            await connection.ExecuteAsync(insert, new
            {
                endpoint.Id, endpoint.OrgId, endpoint.Url, Events = StoredJson.Write(endpoint.Events), endpoint.Description,
                Enabled = endpoint.Enabled ? 1L : 0L, Secret = Protect(endpoint.Id, secret), CreatedAt = Iso.ToText(endpoint.CreatedAt),
                Cursor = created.Seq,
            }, transaction);
            return true;
        }, ct);

    public async Task<WebhookEndpoint?> FindAsync(string orgId, string webhookId, CancellationToken ct = default)
    {
        await using var connection = await OpenAsync(ct);
        return (await FindRowAsync(connection, null, orgId, webhookId, ct))?.ToRecord();
    }

    public async Task<IReadOnlyList<WebhookEndpoint>> ListAsync(string orgId, CancellationToken ct = default)
    {
        await using var connection = await OpenAsync(ct);
        var rows = await connection.QueryAsync<EndpointRow>(new CommandDefinition(
            $"SELECT {Columns} FROM webhook_endpoints WHERE org_id = @orgId ORDER BY created_at, id", new { orgId }, cancellationToken: ct));
        return rows.Select(r => r.ToRecord()).ToList();
    }

    public Task<WriteResult<WebhookEndpoint>> UpdateAsync(long baseVersion, WebhookEndpoint updated, AuditRecord audit, ChangeContext context,
        CancellationToken ct = default) =>
        InTransactionAsync(async (connection, transaction) =>
        {
            var now = clock.GetUtcNow();
            // Enabling clears the failing head's retry state: the admin says the receiver is back, so try now.
            const string update = """
                UPDATE webhook_endpoints
                SET url = @Url, events = @Events, description = @Description, enabled = @Enabled, disabled_reason = @DisabledReason,
                    version = version + 1, updated_at = @now,
                    head_attempts = CASE WHEN @Enabled = 1 AND enabled = 0 THEN 0 ELSE head_attempts END,
                    failing_since = CASE WHEN @Enabled = 1 AND enabled = 0 THEN NULL ELSE failing_since END,
                    next_attempt_at = CASE WHEN @Enabled = 1 AND enabled = 0 THEN NULL ELSE next_attempt_at END
                WHERE id = @Id AND org_id = @OrgId AND version = @baseVersion
                """;
            var rows = await connection.ExecuteAsync(update, new
            {
                updated.Id, updated.OrgId, updated.Url, Events = StoredJson.Write(updated.Events), updated.Description,
                Enabled = updated.Enabled ? 1L : 0L, updated.DisabledReason, now = Iso.ToText(now), baseVersion,
            }, transaction);
            var current = await FindRowAsync(connection, transaction, updated.OrgId, updated.Id, ct);
            if (current is null) return new WriteResult<WebhookEndpoint>(WriteStatus.NotFound, null);
            if (rows == 0) return new WriteResult<WebhookEndpoint>(WriteStatus.VersionMismatch, current.ToRecord());
            await AuditAppender.AppendAsync(connection, transaction, Dialect, updated.OrgId, audit, context, now);
            return new WriteResult<WebhookEndpoint>(WriteStatus.Done, current.ToRecord());
        }, ct);

    public Task<bool> DeleteAsync(string orgId, string webhookId, AuditRecord audit, ChangeContext context, CancellationToken ct = default) =>
        InTransactionAsync(async (connection, transaction) =>
        {
            var rows = await connection.ExecuteAsync(
                "DELETE FROM webhook_endpoints WHERE id = @webhookId AND org_id = @orgId", new { webhookId, orgId }, transaction);
            if (rows == 0) return false;
            await connection.ExecuteAsync("DELETE FROM webhook_deliveries WHERE webhook_id = @webhookId", new { webhookId }, transaction);
            await AuditAppender.AppendAsync(connection, transaction, Dialect, orgId, audit, context, clock.GetUtcNow());
            return true;
        }, ct);

    public Task<WriteResult<WebhookEndpoint>> RotateSecretAsync(string orgId, string webhookId, string newSecret, DateTimeOffset previousExpiresAt,
        AuditRecord audit, ChangeContext context, CancellationToken ct = default) =>
        InTransactionAsync(async (connection, transaction) =>
        {
            var now = clock.GetUtcNow();
            const string rotate = """
                UPDATE webhook_endpoints
                SET previous_secret = secret, previous_secret_expires_at = @until, secret = @secret, version = version + 1, updated_at = @now
                WHERE id = @webhookId AND org_id = @orgId
                """;
            var rows = await connection.ExecuteAsync(rotate, new
            {
                webhookId, orgId, secret = Protect(webhookId, newSecret), until = Iso.ToText(previousExpiresAt), now = Iso.ToText(now),
            }, transaction);
            if (rows == 0) return new WriteResult<WebhookEndpoint>(WriteStatus.NotFound, null);
            await AuditAppender.AppendAsync(connection, transaction, Dialect, orgId, audit, context, now);
            return new WriteResult<WebhookEndpoint>(WriteStatus.Done, (await FindRowAsync(connection, transaction, orgId, webhookId, ct))!.ToRecord());
        }, ct);

    public async Task<WebhookSecrets?> GetSecretsAsync(string webhookId, CancellationToken ct = default)
    {
        await using var connection = await OpenAsync(ct);
        var row = await connection.QuerySingleOrDefaultAsync<SecretRow>(new CommandDefinition(
            """
            SELECT secret AS Secret, previous_secret AS PreviousSecret, previous_secret_expires_at AS PreviousSecretExpiresAt
            FROM webhook_endpoints WHERE id = @webhookId
            """, new { webhookId }, cancellationToken: ct));
        if (row is null) return null;
        var protector = protection.CreateProtector(SecretPurpose, webhookId);
        return new WebhookSecrets(protector.Unprotect(row.Secret),
            row.PreviousSecret is null ? null : protector.Unprotect(row.PreviousSecret), Iso.ParseOrNull(row.PreviousSecretExpiresAt));
    }

    private string Protect(string webhookId, string secret) => protection.CreateProtector(SecretPurpose, webhookId).Protect(secret);

    private static Task<EndpointRow?> FindRowAsync(DbConnection connection, DbTransaction? transaction, string orgId, string webhookId,
        CancellationToken ct) =>
        connection.QuerySingleOrDefaultAsync<EndpointRow>(new CommandDefinition(
            $"SELECT {Columns} FROM webhook_endpoints WHERE id = @webhookId AND org_id = @orgId", new { webhookId, orgId }, transaction,
            cancellationToken: ct));
}

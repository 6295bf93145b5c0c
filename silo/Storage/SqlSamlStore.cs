using Dapper;
using Taskee.Grains.Interfaces;
using Taskee.Grains.Storage;

namespace Taskee.Silo.Storage;

public sealed class SqlSamlStore(SqlDialect dialect, TimeProvider clock) : SqlStore(dialect), ISamlStore
{
    private sealed class SettingsRow
    {
        public string OrgId { get; set; } = "";
        public string IdpEntityId { get; set; } = "";
        public string IdpSsoUrl { get; set; } = "";
        public string IdpCertificates { get; set; } = "[]";
        public string? EmailAttribute { get; set; }
        public string? RolesAttribute { get; set; }
        public string GroupRoles { get; set; } = "{}";
        public string DefaultRole { get; set; } = "";
        public long AllowIdpInitiated { get; set; }
        public long JitProvisioning { get; set; }

        public SamlSettings ToSettings() => new(OrgId, IdpEntityId, IdpSsoUrl,
            StoredJson.ReadOrNull<List<string>>(IdpCertificates) ?? [], EmailAttribute, RolesAttribute,
            StoredJson.ReadMap<string>(GroupRoles), DefaultRole, AllowIdpInitiated != 0, JitProvisioning != 0);
    }

    private sealed class RequestRow
    {
        public string RequestId { get; set; } = "";
        public string OrgId { get; set; } = "";
        public string ReturnTo { get; set; } = "";
        public string ExpiresAt { get; set; } = "";
    }

    private const string Columns =
        "org_id, idp_entity_id, idp_sso_url, idp_certificates, email_attribute, roles_attribute, group_roles, default_role, allow_idp_initiated, jit_provisioning";

    public async Task<SamlSettings?> GetAsync(string orgId, CancellationToken ct = default)
    {
        await using var connection = await OpenAsync(ct);
        return (await connection.QuerySingleOrDefaultAsync<SettingsRow>(new CommandDefinition(
            $"SELECT {Columns} FROM org_saml WHERE org_id = @orgId", new { orgId }, cancellationToken: ct)))?.ToSettings();
    }

    public Task PutAsync(SamlSettings settings, AuditRecord audit, ChangeContext context, CancellationToken ct = default) =>
        InTransactionAsync(async (connection, transaction) =>
        {
            var now = clock.GetUtcNow();
            await connection.ExecuteAsync($"""
                INSERT INTO org_saml ({Columns}, updated_at)
                VALUES (@OrgId, @IdpEntityId, @IdpSsoUrl, @IdpCertificates, @EmailAttribute, @RolesAttribute, @GroupRoles, @DefaultRole,
                        @AllowIdpInitiated, @JitProvisioning, @Now)
                ON CONFLICT (org_id) DO UPDATE SET idp_entity_id = excluded.idp_entity_id, idp_sso_url = excluded.idp_sso_url,
                    idp_certificates = excluded.idp_certificates, email_attribute = excluded.email_attribute,
                    roles_attribute = excluded.roles_attribute, group_roles = excluded.group_roles, default_role = excluded.default_role,
                    allow_idp_initiated = excluded.allow_idp_initiated, jit_provisioning = excluded.jit_provisioning,
                    updated_at = excluded.updated_at
                """, new
            {
                settings.OrgId, settings.IdpEntityId, settings.IdpSsoUrl, IdpCertificates = StoredJson.Write(settings.IdpCertificates),
                settings.EmailAttribute, settings.RolesAttribute, GroupRoles = StoredJson.Write(new SortedDictionary<string, string>(settings.GroupRoles.ToDictionary(), StringComparer.Ordinal)), settings.DefaultRole,
                AllowIdpInitiated = settings.AllowIdpInitiated ? 1L : 0L, JitProvisioning = settings.JitProvisioning ? 1L : 0L,
                Now = Iso.ToText(now),
            }, transaction);
            await AuditAppender.AppendAsync(connection, transaction, Dialect, settings.OrgId, audit, context, now);
            return true;
        }, ct);

    public Task<bool> DeleteAsync(string orgId, AuditRecord audit, ChangeContext context, CancellationToken ct = default) =>
        InTransactionAsync(async (connection, transaction) =>
        {
            if (await connection.ExecuteAsync("DELETE FROM org_saml WHERE org_id = @orgId", new { orgId }, transaction) == 0) return false;
            // Requests sent under the old settings must not be answered under new ones.
            await connection.ExecuteAsync("DELETE FROM saml_requests WHERE org_id = @orgId", new { orgId }, transaction);
            await AuditAppender.AppendAsync(connection, transaction, Dialect, orgId, audit, context, clock.GetUtcNow());
            return true;
        }, ct);

    public async Task RememberRequestAsync(PendingSamlRequest request, CancellationToken ct = default)
    {
        await using var connection = await OpenAsync(ct);
        await connection.ExecuteAsync(new CommandDefinition(
            "INSERT INTO saml_requests (request_id, org_id, return_to, expires_at) VALUES (@RequestId, @OrgId, @ReturnTo, @ExpiresAt)",
            new { request.RequestId, request.OrgId, request.ReturnTo, ExpiresAt = Iso.ToText(request.ExpiresAt) }, cancellationToken: ct));
    }

    public async Task<PendingSamlRequest?> ConsumeRequestAsync(string orgId, string requestId, DateTimeOffset now, CancellationToken ct = default)
    {
        // One statement: of two silos consuming the same id at once, only one deletes the row and gets it back.
        await using var connection = await OpenAsync(ct);
        var row = await connection.QuerySingleOrDefaultAsync<RequestRow>(new CommandDefinition("""
            DELETE FROM saml_requests WHERE request_id = @requestId AND org_id = @orgId AND expires_at > @now
            RETURNING request_id, org_id, return_to, expires_at
            """, new { requestId, orgId, now = Iso.ToText(now) }, cancellationToken: ct));
        return row is null ? null : new PendingSamlRequest(row.RequestId, row.OrgId, row.ReturnTo, Iso.Parse(row.ExpiresAt));
    }

    public async Task<bool> RecordAssertionAsync(string orgId, string assertionId, DateTimeOffset keepUntil, CancellationToken ct = default)
    {
        // A row whose keep time has passed (not purged yet) no longer counts as seen.
        await using var connection = await OpenAsync(ct);
        var rows = await connection.ExecuteAsync(new CommandDefinition("""
            INSERT INTO saml_assertions (org_id, assertion_id, keep_until) VALUES (@orgId, @assertionId, @keepUntil)
            ON CONFLICT (org_id, assertion_id) DO UPDATE SET keep_until = excluded.keep_until WHERE saml_assertions.keep_until < @now
            """, new { orgId, assertionId, keepUntil = Iso.ToText(keepUntil), now = Iso.ToText(clock.GetUtcNow()) }, cancellationToken: ct));
        return rows == 1;
    }

    public async Task<int> PurgeAsync(DateTimeOffset now, CancellationToken ct = default)
    {
        await using var connection = await OpenAsync(ct);
        var cutoff = Iso.ToText(now);
        return await connection.ExecuteAsync(new CommandDefinition("DELETE FROM saml_requests WHERE expires_at <= @cutoff", new { cutoff }, cancellationToken: ct))
            + await connection.ExecuteAsync(new CommandDefinition("DELETE FROM saml_assertions WHERE keep_until < @cutoff", new { cutoff }, cancellationToken: ct));
    }
}

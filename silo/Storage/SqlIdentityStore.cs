using System.Data.Common;
using System.Text.Json;
using Dapper;
using Taskee.Grains.Interfaces;
using Taskee.Grains.Storage;

namespace Taskee.Silo.Storage;

public sealed class SqlIdentityStore(SqlDialect dialect, TimeProvider clock) : SqlStore(dialect), IIdentityStore
{
    private sealed class RoleRow
    {
        public string OrgId { get; set; } = "";
        public string Role { get; set; } = "";
        public string Permissions { get; set; } = "[]";
    }

    private sealed class SsoRow
    {
        public string OrgId { get; set; } = "";
        public string Issuer { get; set; } = "";
        public string Audience { get; set; } = "";
        public string? OrgClaim { get; set; }
        public string RolesClaim { get; set; } = "";
        public string? ClientId { get; set; }
        public string? ClientSecret { get; set; }
        public string GroupsClaim { get; set; } = OidcSignIn.DefaultGroupsClaim;
        public string GroupRoles { get; set; } = "{}";
        public string DefaultRole { get; set; } = OidcSignIn.DefaultDefaultRole;
        public long JitProvisioning { get; set; } = 1;
        public string Scopes { get; set; } = OidcSignIn.DefaultScopes;

        public SsoSettings ToSettings() => new(OrgId, Issuer, Audience, OrgClaim, RolesClaim, ClientId is null ? null
            : new OidcSignIn(ClientId, ClientSecret, GroupsClaim, StoredJson.ReadMap<string>(GroupRoles), DefaultRole, JitProvisioning != 0, Scopes));
    }

    private const string SsoColumns =
        "org_id, issuer, audience, org_claim, roles_claim, client_id, client_secret, groups_claim, group_roles, default_role, jit_provisioning, scopes";

    public async Task<IReadOnlyList<CustomRole>> ListRolesAsync(string orgId, CancellationToken ct = default)
    {
        await using var connection = await OpenAsync(ct);
        var rows = await connection.QueryAsync<RoleRow>(new CommandDefinition(
            "SELECT org_id, role, permissions FROM org_roles WHERE org_id = @orgId ORDER BY role", new { orgId }, cancellationToken: ct));
        return rows.Select(r => new CustomRole(r.OrgId, r.Role, JsonSerializer.Deserialize<string[]>(r.Permissions) ?? [])).ToList();
    }

    public Task<WriteResult<CustomRole>> PutRoleAsync(CustomRole role, AuditRecord audit, ChangeContext context, CancellationToken ct = default) =>
        InTransactionAsync(async (connection, transaction) =>
        {
            var now = clock.GetUtcNow();
            await connection.ExecuteAsync("""
                INSERT INTO org_roles (org_id, role, permissions, updated_at) VALUES (@OrgId, @Role, @Permissions, @Now)
                ON CONFLICT (org_id, role) DO UPDATE SET permissions = excluded.permissions, updated_at = excluded.updated_at
                """, new { role.OrgId, role.Role, Permissions = StoredJson.Write(role.Permissions), Now = Iso.ToText(now) }, transaction);
            await AuditAppender.AppendAsync(connection, transaction, Dialect, role.OrgId, audit, context, now);
            await Dialect.NotifyAsync(connection, transaction, new ChangeNotice(ChangeNotice.Identity, role.OrgId, 0));
            return new WriteResult<CustomRole>(WriteStatus.Done, role);
        }, ct);

    public Task<bool> DeleteRoleAsync(string orgId, string role, AuditRecord audit, ChangeContext context, CancellationToken ct = default) =>
        InTransactionAsync(async (connection, transaction) =>
        {
            var rows = await connection.ExecuteAsync("DELETE FROM org_roles WHERE org_id = @orgId AND role = @role", new { orgId, role }, transaction);
            if (rows == 0) return false;
            await AuditAppender.AppendAsync(connection, transaction, Dialect, orgId, audit, context, clock.GetUtcNow());
            await Dialect.NotifyAsync(connection, transaction, new ChangeNotice(ChangeNotice.Identity, orgId, 0));
            return true;
        }, ct);

    public async Task<SsoSettings?> GetSsoAsync(string orgId, CancellationToken ct = default)
    {
        await using var connection = await OpenAsync(ct);
        return (await connection.QuerySingleOrDefaultAsync<SsoRow>(new CommandDefinition(
            $"SELECT {SsoColumns} FROM org_sso WHERE org_id = @orgId", new { orgId }, cancellationToken: ct)))?.ToSettings();
    }

    public async Task<IReadOnlyList<SsoSettings>> ListSsoAsync(CancellationToken ct = default)
    {
        await using var connection = await OpenAsync(ct);
        return (await connection.QueryAsync<SsoRow>(new CommandDefinition($"SELECT {SsoColumns} FROM org_sso", cancellationToken: ct)))
            .Select(r => r.ToSettings()).ToList();
    }

    public async Task<WriteResult<SsoSettings>> PutSsoAsync(SsoSettings settings, AuditRecord audit, ChangeContext context, CancellationToken ct = default)
    {
        try
        {
            return await InTransactionAsync(async (connection, transaction) =>
            {
                var now = clock.GetUtcNow();
                // Without OIDC sign-in its columns go back to their defaults, so a secret is never kept for no client.
                var oidc = settings.Oidc;
                await connection.ExecuteAsync($"""
                    INSERT INTO org_sso ({SsoColumns}, updated_at)
                    VALUES (@OrgId, @Issuer, @Audience, @OrgClaim, @RolesClaim, @ClientId, @ClientSecret, @GroupsClaim, @GroupRoles,
                            @DefaultRole, @JitProvisioning, @Scopes, @Now)
                    ON CONFLICT (org_id) DO UPDATE SET issuer = excluded.issuer, audience = excluded.audience, org_claim = excluded.org_claim,
                        roles_claim = excluded.roles_claim, client_id = excluded.client_id, client_secret = excluded.client_secret,
                        groups_claim = excluded.groups_claim, group_roles = excluded.group_roles, default_role = excluded.default_role,
                        jit_provisioning = excluded.jit_provisioning, scopes = excluded.scopes, updated_at = excluded.updated_at
                    """, new
                    {
                        settings.OrgId, settings.Issuer, settings.Audience, settings.OrgClaim, settings.RolesClaim,
                        oidc?.ClientId, ClientSecret = oidc?.ProtectedClientSecret,
                        GroupsClaim = oidc?.GroupsClaim ?? OidcSignIn.DefaultGroupsClaim,
                        GroupRoles = StoredJson.Write(new SortedDictionary<string, string>(
                            oidc?.GroupRoles.ToDictionary() ?? [], StringComparer.Ordinal)),
                        DefaultRole = oidc?.DefaultRole ?? OidcSignIn.DefaultDefaultRole,
                        JitProvisioning = (oidc?.JitProvisioning ?? true) ? 1L : 0L,
                        Scopes = oidc?.Scopes ?? OidcSignIn.DefaultScopes,
                        Now = Iso.ToText(now),
                    }, transaction);
                await AuditAppender.AppendAsync(connection, transaction, Dialect, settings.OrgId, audit, context, now);
                await Dialect.NotifyAsync(connection, transaction, new ChangeNotice(ChangeNotice.Identity, settings.OrgId, 0));
                return new WriteResult<SsoSettings>(WriteStatus.Done, settings);
            }, ct);
        }
        catch (DbException ex) when (Dialect.IsUniqueViolation(ex))
        {
            return new WriteResult<SsoSettings>(WriteStatus.Conflict, null);
        }
    }
}

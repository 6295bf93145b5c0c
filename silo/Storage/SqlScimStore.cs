using System.Collections.Immutable;
using System.Data.Common;
using System.Text.Json;
using System.Text.Json.Nodes;
using Dapper;
using Taskee.Grains.Interfaces;
using Taskee.Grains.Interfaces.Scim;
using Taskee.Grains.Storage;

namespace Taskee.Silo.Storage;

/// <summary>
/// SCIM users and groups on SQL. Every write locks the organisation's row first (as member changes do), so a SCIM
/// change, the seat it takes or frees, the roles it moves and their audit events commit together or not at all.
/// </summary>
public sealed class SqlScimStore(SqlDialect dialect, TimeProvider clock) : SqlStore(dialect), IScimStore
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>The attributes kept as one JSON column: they are never queried in SQL.</summary>
    private sealed record StoredAttributes(ScimName? Name, string? DisplayName, ScimEmail[] Emails, JsonObject? Profile = null);

    private sealed class UserRow
    {
        public string OrgId { get; set; } = "";
        public string Id { get; set; } = "";
        public string UserName { get; set; } = "";
        public string? ExternalId { get; set; }
        public long Active { get; set; }
        public string BaseRole { get; set; } = "";
        public string Attributes { get; set; } = "";
        public long Version { get; set; }
        public string CreatedAt { get; set; } = "";
        public string UpdatedAt { get; set; } = "";

        public ScimUser ToUser()
        {
            var attributes = JsonSerializer.Deserialize<StoredAttributes>(Attributes, Json)!;
            return new ScimUser(OrgId, Id, UserName, ExternalId, attributes.Name, attributes.DisplayName, [.. attributes.Emails],
                Active != 0, BaseRole, Version, Iso.Parse(CreatedAt), Iso.Parse(UpdatedAt), attributes.Profile?.ToJsonString());
        }
    }

    private sealed class GroupRow
    {
        public string OrgId { get; set; } = "";
        public string Id { get; set; } = "";
        public string DisplayName { get; set; } = "";
        public string? ExternalId { get; set; }
        public long Version { get; set; }
        public string CreatedAt { get; set; } = "";
        public string UpdatedAt { get; set; } = "";
    }

    private const string UserColumns = "org_id, id, user_name, external_id, active, base_role, attributes, version, created_at, updated_at";
    private const string GroupColumns = "org_id, id, display_name, external_id, version, created_at, updated_at";

    // ---- Reads ------------------------------------------------------------------------------------------

    public async Task<ScimUser?> GetUserAsync(string orgId, string id, CancellationToken ct = default)
    {
        await using var connection = await OpenAsync(ct);
        var row = await connection.QuerySingleOrDefaultAsync<UserRow>(new CommandDefinition(
            $"SELECT {UserColumns} FROM scim_users WHERE org_id = @orgId AND id = @id", new { orgId, id }, cancellationToken: ct));
        return row?.ToUser();
    }

    public async Task<IReadOnlyList<ScimUser>> ListUsersAsync(string orgId, CancellationToken ct = default)
    {
        await using var connection = await OpenAsync(ct);
        var rows = await connection.QueryAsync<UserRow>(new CommandDefinition(
            $"SELECT {UserColumns} FROM scim_users WHERE org_id = @orgId ORDER BY created_at, id", new { orgId }, cancellationToken: ct));
        return rows.Select(r => r.ToUser()).ToList();
    }

    public async Task<ScimGroup?> GetGroupAsync(string orgId, string id, CancellationToken ct = default)
    {
        await using var connection = await OpenAsync(ct);
        var row = await connection.QuerySingleOrDefaultAsync<GroupRow>(new CommandDefinition(
            $"SELECT {GroupColumns} FROM scim_groups WHERE org_id = @orgId AND id = @id", new { orgId, id }, cancellationToken: ct));
        if (row is null) return null;
        var members = await connection.QueryAsync<string>(new CommandDefinition(
            "SELECT user_id FROM scim_group_members WHERE org_id = @orgId AND group_id = @id ORDER BY user_id", new { orgId, id }, cancellationToken: ct));
        return ToGroup(row, members);
    }

    public async Task<IReadOnlyList<ScimGroup>> ListGroupsAsync(string orgId, CancellationToken ct = default)
    {
        await using var connection = await OpenAsync(ct);
        var rows = await connection.QueryAsync<GroupRow>(new CommandDefinition(
            $"SELECT {GroupColumns} FROM scim_groups WHERE org_id = @orgId ORDER BY created_at, id", new { orgId }, cancellationToken: ct));
        var members = (await connection.QueryAsync<(string GroupId, string UserId)>(new CommandDefinition(
                "SELECT group_id, user_id FROM scim_group_members WHERE org_id = @orgId ORDER BY user_id", new { orgId }, cancellationToken: ct)))
            .ToLookup(m => m.GroupId, m => m.UserId);
        return rows.Select(r => ToGroup(r, members[r.Id])).ToList();
    }

    public async Task<IReadOnlyList<ScimMembership>> ListMembershipsAsync(string orgId, string? userId = null, CancellationToken ct = default)
    {
        await using var connection = await OpenAsync(ct);
        var sql = $"""
            SELECT m.group_id, g.display_name, m.user_id FROM scim_group_members m
            JOIN scim_groups g ON g.org_id = m.org_id AND g.id = m.group_id
            WHERE m.org_id = @orgId{(userId is null ? "" : " AND m.user_id = @userId")}
            ORDER BY g.display_name, m.group_id
            """;
        var rows = await connection.QueryAsync<(string GroupId, string GroupName, string UserId)>(new CommandDefinition(sql, new { orgId, userId }, cancellationToken: ct));
        return rows.Select(r => new ScimMembership(r.GroupId, r.GroupName, r.UserId)).ToList();
    }

    public async Task<IReadOnlyList<ScimGroupRole>> GetGroupRolesAsync(string orgId, CancellationToken ct = default)
    {
        await using var connection = await OpenAsync(ct);
        return await GroupRolesAsync(connection, null, orgId);
    }

    private static async Task<IReadOnlyList<ScimGroupRole>> GroupRolesAsync(DbConnection connection, DbTransaction? transaction, string orgId) =>
        (await connection.QueryAsync<(string GroupName, string Role)>(
            "SELECT group_name, role FROM scim_group_roles WHERE org_id = @orgId ORDER BY group_key", new { orgId }, transaction))
        .Select(r => new ScimGroupRole(r.GroupName, r.Role)).ToList();

    // ---- Users ------------------------------------------------------------------------------------------

    public Task<(ScimWriteResult<ScimUser> Result, long Seats)> CreateUserAsync(
        ScimUser user, long seatLimit, ChangeContext context, CancellationToken ct = default) =>
        InTransactionAsync(async (connection, transaction) =>
        {
            var orgId = user.OrgId;
            if (!await LockOrganisationAsync(connection, transaction, orgId)) return (new ScimWriteResult<ScimUser>(ScimWriteStatus.NoSuchOrganisation, null), 0L);
            var seats = await MemberRows.CountAsync(connection, transaction, orgId);
            if (await UserNameOwnerAsync(connection, transaction, orgId, user.UserName) is not null)
                return (Taken($"userName '{user.UserName}' is already provisioned in this organisation."), seats);

            // A person who is a member already (added by an admin, or by SSO) is linked, not duplicated: the SCIM user
            // takes the member's id and keeps its role as the base role.
            var linked = await MemberRows.FindByEmailAsync(connection, transaction, orgId, user.MemberEmail!);
            if (linked is not null)
            {
                if (await UserExistsAsync(connection, transaction, orgId, linked.UserId))
                    return (Taken($"The member with e-mail '{user.MemberEmail}' is already provisioned as another SCIM user ('{linked.UserId}')."), seats);
                user = user with { Id = linked.UserId, BaseRole = linked.Role };
            }
            if (user.Active && linked is null && seats + 1 > seatLimit)
                return (new ScimWriteResult<ScimUser>(ScimWriteStatus.SeatLimitReached, null, $"All {seatLimit} seats are taken ({seats} used)."), seats);

            var now = Now();
            var stored = user with { Version = 1, Created = now, LastModified = now };
            await connection.ExecuteAsync(
                $"""
                INSERT INTO scim_users (org_id, id, user_name, user_name_key, external_id, active, base_role, attributes, version, created_at, updated_at)
                VALUES (@OrgId, @Id, @UserName, @UserNameKey, @ExternalId, @Active, @BaseRole, @Attributes, @Version, @CreatedAt, @UpdatedAt)
                """, UserParameters(stored), transaction);
            await AuditAsync(connection, transaction, orgId, "scim.user.created", UserTarget(stored), null, UserJson(stored), context, now);

            if (stored.Active && linked is null)
                await AddMemberAsync(connection, transaction, new Member(orgId, stored.Id, stored.MemberEmail!, stored.BaseRole, now), seats, seatLimit, context, now);
            else if (!stored.Active && linked is not null)
                await MemberRows.RemoveAsync(connection, transaction, Dialect, orgId, linked, context, now);
            else if (linked is not null && linked.Email != stored.MemberEmail)
                await MemberRows.SetEmailAsync(connection, transaction, orgId, stored.Id, stored.MemberEmail!);
            return (new ScimWriteResult<ScimUser>(ScimWriteStatus.Done, stored), await MemberRows.CountAsync(connection, transaction, orgId));
        }, ct);

    public Task<(ScimWriteResult<ScimUser> Result, long Seats)> ReplaceUserAsync(
        ScimUser user, long baseVersion, long seatLimit, IReadOnlyDictionary<string, string> mapping, ChangeContext context, CancellationToken ct = default) =>
        InTransactionAsync(async (connection, transaction) =>
        {
            var orgId = user.OrgId;
            if (!await LockOrganisationAsync(connection, transaction, orgId)) return (new ScimWriteResult<ScimUser>(ScimWriteStatus.NoSuchOrganisation, null), 0L);
            var seats = await MemberRows.CountAsync(connection, transaction, orgId);
            var current = await FindUserAsync(connection, transaction, orgId, user.Id);
            if (current is null) return (new ScimWriteResult<ScimUser>(ScimWriteStatus.NotFound, null), seats);
            if (current.Version != baseVersion) return (new ScimWriteResult<ScimUser>(ScimWriteStatus.VersionMismatch, current), seats);
            if (await UserNameOwnerAsync(connection, transaction, orgId, user.UserName) is { } owner && owner != user.Id)
                return (Taken($"userName '{user.UserName}' is already provisioned in this organisation."), seats);

            var member = await MemberRows.FindAsync(connection, transaction, orgId, user.Id);
            if (user.Active && member is null && seats + 1 > seatLimit)
                return (new ScimWriteResult<ScimUser>(ScimWriteStatus.SeatLimitReached, null, $"All {seatLimit} seats are taken ({seats} used)."), seats);

            var now = Now();
            var stored = user with { BaseRole = current.BaseRole, Version = current.Version + 1, Created = current.Created, LastModified = now };
            await connection.ExecuteAsync(
                """
                UPDATE scim_users SET user_name = @UserName, user_name_key = @UserNameKey, external_id = @ExternalId, active = @Active,
                    attributes = @Attributes, version = @Version, updated_at = @UpdatedAt
                WHERE org_id = @OrgId AND id = @Id
                """, UserParameters(stored), transaction);
            await AuditAsync(connection, transaction, orgId, "scim.user.updated", UserTarget(stored), UserJson(current), UserJson(stored), context, now);

            if (stored.Active && member is null)
            {
                var role = ScimRoles.Resolve(await GroupNamesAsync(connection, transaction, orgId, stored.Id), mapping, stored.BaseRole);
                await AddMemberAsync(connection, transaction, new Member(orgId, stored.Id, stored.MemberEmail!, role, now), seats, seatLimit, context, now);
            }
            else if (!stored.Active && member is not null)
            {
                // The seat is freed; the SCIM user stays, so the directory can reactivate it.
                await MemberRows.RemoveAsync(connection, transaction, Dialect, orgId, member, context, now);
            }
            else if (member is not null && member.Email != stored.MemberEmail)
            {
                await MemberRows.SetEmailAsync(connection, transaction, orgId, stored.Id, stored.MemberEmail!);
            }
            return (new ScimWriteResult<ScimUser>(ScimWriteStatus.Done, stored), await MemberRows.CountAsync(connection, transaction, orgId));
        }, ct);

    public Task<(ScimWriteResult<ScimUser> Result, long Seats)> DeleteUserAsync(
        string orgId, string id, long? baseVersion, ChangeContext context, CancellationToken ct = default) =>
        InTransactionAsync(async (connection, transaction) =>
        {
            if (!await LockOrganisationAsync(connection, transaction, orgId)) return (new ScimWriteResult<ScimUser>(ScimWriteStatus.NoSuchOrganisation, null), 0L);
            var current = await FindUserAsync(connection, transaction, orgId, id);
            if (current is null) return (new ScimWriteResult<ScimUser>(ScimWriteStatus.NotFound, null), await MemberRows.CountAsync(connection, transaction, orgId));
            if (baseVersion is { } expected && expected != current.Version)
                return (new ScimWriteResult<ScimUser>(ScimWriteStatus.VersionMismatch, current), await MemberRows.CountAsync(connection, transaction, orgId));

            var now = Now();
            // The groups it leaves change too: their members and version.
            await connection.ExecuteAsync(
                """
                UPDATE scim_groups SET version = version + 1, updated_at = @updatedAt
                WHERE org_id = @orgId AND id IN (SELECT group_id FROM scim_group_members WHERE org_id = @orgId AND user_id = @id)
                """, new { orgId, id, updatedAt = Iso.ToText(now) }, transaction);
            await connection.ExecuteAsync("DELETE FROM scim_group_members WHERE org_id = @orgId AND user_id = @id", new { orgId, id }, transaction);
            if (await MemberRows.FindAsync(connection, transaction, orgId, id) is { } member)
                await MemberRows.RemoveAsync(connection, transaction, Dialect, orgId, member, context, now);
            await connection.ExecuteAsync("DELETE FROM scim_users WHERE org_id = @orgId AND id = @id", new { orgId, id }, transaction);
            await AuditAsync(connection, transaction, orgId, "scim.user.deleted", UserTarget(current), UserJson(current), null, context, now);
            return (new ScimWriteResult<ScimUser>(ScimWriteStatus.Done, current), await MemberRows.CountAsync(connection, transaction, orgId));
        }, ct);

    // ---- Groups -----------------------------------------------------------------------------------------

    public Task<ScimWriteResult<ScimGroup>> CreateGroupAsync(ScimGroup group, IReadOnlyDictionary<string, string> mapping, ChangeContext context, CancellationToken ct = default) =>
        InTransactionAsync(async (connection, transaction) =>
        {
            var orgId = group.OrgId;
            if (!await LockOrganisationAsync(connection, transaction, orgId)) return new ScimWriteResult<ScimGroup>(ScimWriteStatus.NoSuchOrganisation, null);
            if (await UnknownMemberAsync(connection, transaction, group) is { } unknown) return unknown;

            var now = Now();
            var stored = group with { Version = 1, Created = now, LastModified = now };
            await connection.ExecuteAsync(
                $"INSERT INTO scim_groups ({GroupColumns}) VALUES (@OrgId, @Id, @DisplayName, @ExternalId, @Version, @CreatedAt, @UpdatedAt)",
                GroupParameters(stored), transaction);
            await InsertMembersAsync(connection, transaction, stored);
            await AuditAsync(connection, transaction, orgId, "scim.group.created", GroupTarget(stored), null, GroupJson(stored), context, now);
            await ApplyRolesAsync(connection, transaction, orgId, stored.Members, mapping, context, now);
            return new ScimWriteResult<ScimGroup>(ScimWriteStatus.Done, stored);
        }, ct);

    public Task<ScimWriteResult<ScimGroup>> ReplaceGroupAsync(
        ScimGroup group, long baseVersion, IReadOnlyDictionary<string, string> mapping, ChangeContext context, CancellationToken ct = default) =>
        InTransactionAsync(async (connection, transaction) =>
        {
            var orgId = group.OrgId;
            if (!await LockOrganisationAsync(connection, transaction, orgId)) return new ScimWriteResult<ScimGroup>(ScimWriteStatus.NoSuchOrganisation, null);
            var current = await FindGroupAsync(connection, transaction, orgId, group.Id);
            if (current is null) return new ScimWriteResult<ScimGroup>(ScimWriteStatus.NotFound, null);
            if (current.Version != baseVersion) return new ScimWriteResult<ScimGroup>(ScimWriteStatus.VersionMismatch, current);
            if (await UnknownMemberAsync(connection, transaction, group) is { } unknown) return unknown;

            var now = Now();
            var stored = group with { Version = current.Version + 1, Created = current.Created, LastModified = now };
            await connection.ExecuteAsync(
                """
                UPDATE scim_groups SET display_name = @DisplayName, external_id = @ExternalId, version = @Version, updated_at = @UpdatedAt
                WHERE org_id = @OrgId AND id = @Id
                """, GroupParameters(stored), transaction);
            await connection.ExecuteAsync("DELETE FROM scim_group_members WHERE org_id = @OrgId AND group_id = @Id", new { stored.OrgId, stored.Id }, transaction);
            await InsertMembersAsync(connection, transaction, stored);
            await AuditAsync(connection, transaction, orgId, "scim.group.updated", GroupTarget(stored), GroupJson(current), GroupJson(stored), context, now);
            await ApplyRolesAsync(connection, transaction, orgId, current.Members.Union(stored.Members), mapping, context, now);
            return new ScimWriteResult<ScimGroup>(ScimWriteStatus.Done, stored);
        }, ct);

    public Task<ScimWriteResult<ScimGroup>> DeleteGroupAsync(
        string orgId, string id, long? baseVersion, IReadOnlyDictionary<string, string> mapping, ChangeContext context, CancellationToken ct = default) =>
        InTransactionAsync(async (connection, transaction) =>
        {
            if (!await LockOrganisationAsync(connection, transaction, orgId)) return new ScimWriteResult<ScimGroup>(ScimWriteStatus.NoSuchOrganisation, null);
            var current = await FindGroupAsync(connection, transaction, orgId, id);
            if (current is null) return new ScimWriteResult<ScimGroup>(ScimWriteStatus.NotFound, null);
            if (baseVersion is { } expected && expected != current.Version) return new ScimWriteResult<ScimGroup>(ScimWriteStatus.VersionMismatch, current);

            var now = Now();
            await connection.ExecuteAsync("DELETE FROM scim_group_members WHERE org_id = @orgId AND group_id = @id", new { orgId, id }, transaction);
            await connection.ExecuteAsync("DELETE FROM scim_groups WHERE org_id = @orgId AND id = @id", new { orgId, id }, transaction);
            await AuditAsync(connection, transaction, orgId, "scim.group.deleted", GroupTarget(current), GroupJson(current), null, context, now);
            await ApplyRolesAsync(connection, transaction, orgId, current.Members, mapping, context, now);
            return new ScimWriteResult<ScimGroup>(ScimWriteStatus.Done, current);
        }, ct);

    public Task<ScimWriteStatus> PutGroupRolesAsync(
        string orgId, IReadOnlyList<ScimGroupRole> roles, IReadOnlyDictionary<string, string> mapping, ChangeContext context, CancellationToken ct = default) =>
        InTransactionAsync(async (connection, transaction) =>
        {
            if (!await LockOrganisationAsync(connection, transaction, orgId)) return ScimWriteStatus.NoSuchOrganisation;
            var before = await GroupRolesAsync(connection, transaction, orgId);
            await connection.ExecuteAsync("DELETE FROM scim_group_roles WHERE org_id = @orgId", new { orgId }, transaction);
            foreach (var role in roles)
                await connection.ExecuteAsync(
                    "INSERT INTO scim_group_roles (org_id, group_key, group_name, role) VALUES (@orgId, @key, @GroupName, @Role)",
                    new { orgId, key = ScimRoles.GroupKey(role.GroupName), role.GroupName, role.Role }, transaction);

            var now = Now();
            await AuditAsync(connection, transaction, orgId, "scim.group_roles.updated", $"organisations/{orgId}/scim/group-roles",
                MappingJson(before), MappingJson(roles), context, now);
            var users = await connection.QueryAsync<string>("SELECT id FROM scim_users WHERE org_id = @orgId", new { orgId }, transaction);
            await ApplyRolesAsync(connection, transaction, orgId, users, mapping, context, now);
            return ScimWriteStatus.Done;
        }, ct);

    // ---- Inside a transaction ---------------------------------------------------------------------------

    /// <summary>Takes the seat (the caller checked it is free) and records the seat thresholds it reaches, as an admin's add does.</summary>
    private async Task AddMemberAsync(DbConnection connection, DbTransaction transaction, Member member, long seatsBefore, long seatLimit,
        ChangeContext context, DateTimeOffset now)
    {
        await MemberRows.AddAsync(connection, transaction, Dialect, member, context, now);
        await QuotaThresholds.RecordAsync(connection, transaction, Dialect, new CounterKey(member.OrgId, Metrics.Seats, ""), seatsBefore + 1, seatLimit, now);
    }

    /// <summary>Brings the role of each provisioned member among <paramref name="userIds"/> in line with its groups.</summary>
    private async Task ApplyRolesAsync(DbConnection connection, DbTransaction transaction, string orgId, IEnumerable<string> userIds,
        IReadOnlyDictionary<string, string> mapping, ChangeContext context, DateTimeOffset now)
    {
        foreach (var userId in userIds.Distinct(StringComparer.Ordinal))
        {
            var baseRole = await connection.QuerySingleOrDefaultAsync<string?>(
                "SELECT base_role FROM scim_users WHERE org_id = @orgId AND id = @userId", new { orgId, userId }, transaction);
            if (baseRole is null) continue;
            var role = ScimRoles.Resolve(await GroupNamesAsync(connection, transaction, orgId, userId), mapping, baseRole);
            await MemberRows.SetRoleAsync(connection, transaction, Dialect, orgId, userId, role, context, now); // inactive users have no member: nothing
        }
    }

    private static async Task<IReadOnlyList<string>> GroupNamesAsync(DbConnection connection, DbTransaction transaction, string orgId, string userId) =>
        (await connection.QueryAsync<string>(
            """
            SELECT g.display_name FROM scim_group_members m JOIN scim_groups g ON g.org_id = m.org_id AND g.id = m.group_id
            WHERE m.org_id = @orgId AND m.user_id = @userId
            """, new { orgId, userId }, transaction)).ToList();

    private static Task<string?> UserNameOwnerAsync(DbConnection connection, DbTransaction transaction, string orgId, string userName) =>
        connection.QuerySingleOrDefaultAsync<string?>(
            "SELECT id FROM scim_users WHERE org_id = @orgId AND user_name_key = @key", new { orgId, key = UserNameKey(userName) }, transaction);

    private static async Task<bool> UserExistsAsync(DbConnection connection, DbTransaction transaction, string orgId, string id) =>
        await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM scim_users WHERE org_id = @orgId AND id = @id", new { orgId, id }, transaction) > 0;

    private static async Task<ScimUser?> FindUserAsync(DbConnection connection, DbTransaction transaction, string orgId, string id) =>
        (await connection.QuerySingleOrDefaultAsync<UserRow>(
            $"SELECT {UserColumns} FROM scim_users WHERE org_id = @orgId AND id = @id", new { orgId, id }, transaction))?.ToUser();

    private static async Task<ScimGroup?> FindGroupAsync(DbConnection connection, DbTransaction transaction, string orgId, string id)
    {
        var row = await connection.QuerySingleOrDefaultAsync<GroupRow>(
            $"SELECT {GroupColumns} FROM scim_groups WHERE org_id = @orgId AND id = @id", new { orgId, id }, transaction);
        if (row is null) return null;
        var members = await connection.QueryAsync<string>(
            "SELECT user_id FROM scim_group_members WHERE org_id = @orgId AND group_id = @id ORDER BY user_id", new { orgId, id }, transaction);
        return ToGroup(row, members);
    }

    private static async Task<ScimWriteResult<ScimGroup>?> UnknownMemberAsync(DbConnection connection, DbTransaction transaction, ScimGroup group)
    {
        foreach (var member in group.Members)
            if (!await UserExistsAsync(connection, transaction, group.OrgId, member))
                return new ScimWriteResult<ScimGroup>(ScimWriteStatus.UnknownMember, null, $"members: '{member}' is not a user of this organisation; create the user first.");
        return null;
    }

    private static async Task InsertMembersAsync(DbConnection connection, DbTransaction transaction, ScimGroup group)
    {
        foreach (var userId in group.Members.Distinct(StringComparer.Ordinal))
            await connection.ExecuteAsync(
                "INSERT INTO scim_group_members (org_id, group_id, user_id) VALUES (@OrgId, @Id, @userId)", new { group.OrgId, group.Id, userId }, transaction);
    }

    private Task AuditAsync(DbConnection connection, DbTransaction transaction, string orgId, string action, string target,
        string? before, string? after, ChangeContext context, DateTimeOffset now) =>
        AuditAppender.AppendAsync(connection, transaction, Dialect, orgId, new AuditRecord(action, target, before, after), context, now);

    // ---- Mapping ----------------------------------------------------------------------------------------

    private DateTimeOffset Now()
    {
        var now = clock.GetUtcNow();
        return new DateTimeOffset(now.Ticks - now.Ticks % TimeSpan.TicksPerMillisecond, TimeSpan.Zero); // as stored
    }

    private static string UserNameKey(string userName) => userName.ToLowerInvariant();

    private static ScimWriteResult<ScimUser> Taken(string detail) => new(ScimWriteStatus.UserNameTaken, null, detail);

    private static ScimGroup ToGroup(GroupRow row, IEnumerable<string> members) =>
        new(row.OrgId, row.Id, row.DisplayName, row.ExternalId, [.. members], row.Version, Iso.Parse(row.CreatedAt), Iso.Parse(row.UpdatedAt));

    private static object UserParameters(ScimUser u) => new
    {
        u.OrgId, u.Id, u.UserName, UserNameKey = UserNameKey(u.UserName), u.ExternalId, Active = u.Active ? 1L : 0L, u.BaseRole,
        Attributes = JsonSerializer.Serialize(new StoredAttributes(u.Name, u.DisplayName, [.. u.Emails], Profile(u)), Json),
        u.Version, CreatedAt = Iso.ToText(u.Created), UpdatedAt = Iso.ToText(u.LastModified),
    };

    private static object GroupParameters(ScimGroup g) => new
    {
        g.OrgId, g.Id, g.DisplayName, g.ExternalId, g.Version, CreatedAt = Iso.ToText(g.Created), UpdatedAt = Iso.ToText(g.LastModified),
    };

    private static string UserTarget(ScimUser u) => $"organisations/{u.OrgId}/scim/users/{u.Id}";

    private static string GroupTarget(ScimGroup g) => $"organisations/{g.OrgId}/scim/groups/{g.Id}";

    private static string UserJson(ScimUser u) => JsonSerializer.Serialize(new
    {
        id = u.Id, userName = u.UserName, externalId = u.ExternalId, active = u.Active, name = u.Name, displayName = u.DisplayName,
        emails = u.Emails, profile = Profile(u), version = u.Version,
    }, Json);

    private static JsonObject? Profile(ScimUser u) => u.Profile is null ? null : JsonNode.Parse(u.Profile) as JsonObject;

    private static string GroupJson(ScimGroup g) => JsonSerializer.Serialize(new
    {
        id = g.Id, displayName = g.DisplayName, externalId = g.ExternalId, members = g.Members, version = g.Version,
    }, Json);

    private static string MappingJson(IEnumerable<ScimGroupRole> roles) =>
        JsonSerializer.Serialize(roles.OrderBy(r => r.GroupName, StringComparer.Ordinal).ToDictionary(r => r.GroupName, r => r.Role), Json);
}

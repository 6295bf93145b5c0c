using System.Data.Common;
using System.Text.Json;
using Dapper;
using Taskee.Grains.Interfaces;
using Taskee.Grains.Storage;

namespace Taskee.Silo.Storage;

/// <summary>
/// Member row changes made inside another store's transaction (SCIM provisioning, role changes), each with the audit
/// event the member endpoints write for it, so the audit log reads the same whoever changed the member.
/// </summary>
internal static class MemberRows
{
    public sealed class Row
    {
        public string UserId { get; set; } = "";
        public string Email { get; set; } = "";
        public string Role { get; set; } = "";
    }

    /// <summary>A member as stored, with the time it was added.</summary>
    public sealed class StoredRow
    {
        public string OrgId { get; set; } = "";
        public string UserId { get; set; } = "";
        public string Email { get; set; } = "";
        public string Role { get; set; } = "";
        public string AddedAt { get; set; } = "";

        public Member ToMember() => new(OrgId, UserId, Email, Role, Iso.Parse(AddedAt));
    }

    public const string StoredColumns = "org_id, user_id, email, role, added_at";

    private static string Target(string orgId, string userId) => $"organisations/{orgId}/members/{userId}";

    private static string Json(string userId, string email, string role) => JsonSerializer.Serialize(new { userId, email, role });

    public static Task<Row?> FindAsync(DbConnection connection, DbTransaction transaction, string orgId, string userId) =>
        connection.QuerySingleOrDefaultAsync<Row?>(
            "SELECT user_id, email, role FROM members WHERE org_id = @orgId AND user_id = @userId", new { orgId, userId }, transaction);

    public static async Task<Member?> GetAsync(DbConnection connection, DbTransaction transaction, string orgId, string userId) =>
        (await connection.QuerySingleOrDefaultAsync<StoredRow?>(
            $"SELECT {StoredColumns} FROM members WHERE org_id = @orgId AND user_id = @userId", new { orgId, userId }, transaction))?.ToMember();

    /// <summary>A built-in role, or one of the organisation's custom roles.</summary>
    public static async Task<bool> RoleExistsAsync(DbConnection connection, DbTransaction transaction, string orgId, string role) =>
        MemberRoles.BuiltIn.Contains(role)
        || await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM org_roles WHERE org_id = @orgId AND role = @role", new { orgId, role }, transaction) > 0;

    public static Task<long> CountOwnersAsync(DbConnection connection, DbTransaction transaction, string orgId) =>
        connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM members WHERE org_id = @orgId AND role = @owner", new { orgId, owner = MemberRoles.Owner }, transaction);

    /// <summary>The member with this e-mail, compared case-insensitively; the first by user id when there are several.</summary>
    public static Task<Row?> FindByEmailAsync(DbConnection connection, DbTransaction transaction, string orgId, string email) =>
        connection.QueryFirstOrDefaultAsync<Row?>(
            "SELECT user_id, email, role FROM members WHERE org_id = @orgId AND LOWER(email) = @email ORDER BY user_id",
            new { orgId, email = email.ToLowerInvariant() }, transaction);

    public static Task<long> CountAsync(DbConnection connection, DbTransaction transaction, string orgId) =>
        connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM members WHERE org_id = @orgId", new { orgId }, transaction);

    public static async Task AddAsync(DbConnection connection, DbTransaction transaction, SqlDialect dialect, Member member, ChangeContext context, DateTimeOffset now)
    {
        await connection.ExecuteAsync(
            "INSERT INTO members (org_id, user_id, email, role, added_at) VALUES (@OrgId, @UserId, @Email, @Role, @AddedAt)",
            new { member.OrgId, member.UserId, member.Email, member.Role, AddedAt = Iso.ToText(member.AddedAt) }, transaction);
        await AuditAppender.AppendAsync(connection, transaction, dialect, member.OrgId,
            new AuditRecord("member.added", Target(member.OrgId, member.UserId), null, Json(member.UserId, member.Email, member.Role)), context, now);
    }

    /// <summary>Removes a member, revokes its refresh tokens and audits it, in the caller's transaction.</summary>
    public static async Task RemoveAsync(DbConnection connection, DbTransaction transaction, SqlDialect dialect, string orgId, Row removed, ChangeContext context, DateTimeOffset now)
    {
        await connection.ExecuteAsync("DELETE FROM members WHERE org_id = @orgId AND user_id = @UserId", new { orgId, removed.UserId }, transaction);
        // Its sessions end with its membership (admin API, SCIM deactivation or deletion): no refresh token of a removed
        // member is redeemed again.
        await SqlIssuerStore.RevokeMemberFamiliesAsync(connection, transaction, orgId, removed.UserId, now);
        await AuditAppender.AppendAsync(connection, transaction, dialect, orgId,
            new AuditRecord("member.removed", Target(orgId, removed.UserId), Json(removed.UserId, removed.Email, removed.Role), null), context, now);
    }

    /// <summary>Sets the role; returns the member as it was, or null when there is no such member. Unchanged roles write nothing.</summary>
    public static async Task<Row?> SetRoleAsync(DbConnection connection, DbTransaction transaction, SqlDialect dialect,
        string orgId, string userId, string role, ChangeContext context, DateTimeOffset now)
    {
        var member = await FindAsync(connection, transaction, orgId, userId);
        if (member is null || member.Role == role) return member;
        await connection.ExecuteAsync("UPDATE members SET role = @role WHERE org_id = @orgId AND user_id = @userId", new { orgId, userId, role }, transaction);
        await AuditAppender.AppendAsync(connection, transaction, dialect, orgId,
            new AuditRecord("member.role_changed", Target(orgId, userId), Json(userId, member.Email, member.Role), Json(userId, member.Email, role)), context, now);
        return member;
    }

    /// <summary>Keeps the member's e-mail the provisioned user's; covered by the SCIM change's own audit event.</summary>
    public static Task SetEmailAsync(DbConnection connection, DbTransaction transaction, string orgId, string userId, string email) =>
        connection.ExecuteAsync("UPDATE members SET email = @email WHERE org_id = @orgId AND user_id = @userId", new { orgId, userId, email }, transaction);
}

using Taskee.Grains.Interfaces;
using Taskee.Grains.Interfaces.Scim;

namespace Taskee.Grains.Storage;

/// <summary>A group a user is in, as the user's read-only <c>groups</c> attribute shows it.</summary>
public sealed record ScimMembership(string GroupId, string GroupName, string UserId);

/// <summary>
/// SCIM users, groups and the group → role mapping. Writes are called by the organisation grain only: each locks the
/// organisation row and writes the SCIM rows, the member (seat) and role changes they imply and every audit event in
/// one transaction. <c>mapping</c> is the effective group key → role table the member roles follow.
/// </summary>
public interface IScimStore
{
    Task<ScimUser?> GetUserAsync(string orgId, string id, CancellationToken ct = default);

    /// <summary>Every user of the organisation, oldest first (filters run in memory over them: bounded by the directory).</summary>
    Task<IReadOnlyList<ScimUser>> ListUsersAsync(string orgId, CancellationToken ct = default);

    Task<ScimGroup?> GetGroupAsync(string orgId, string id, CancellationToken ct = default);

    Task<IReadOnlyList<ScimGroup>> ListGroupsAsync(string orgId, CancellationToken ct = default);

    /// <summary>The group memberships of the organisation; of one user when <paramref name="userId"/> is given.</summary>
    Task<IReadOnlyList<ScimMembership>> ListMembershipsAsync(string orgId, string? userId = null, CancellationToken ct = default);

    Task<IReadOnlyList<ScimGroupRole>> GetGroupRolesAsync(string orgId, CancellationToken ct = default);

    /// <summary>Creates a user; it is in no group yet, so its role is its base role (or the linked member's) and needs no mapping.</summary>
    Task<(ScimWriteResult<ScimUser> Result, long Seats)> CreateUserAsync(
        ScimUser user, long seatLimit, ChangeContext context, CancellationToken ct = default);

    Task<(ScimWriteResult<ScimUser> Result, long Seats)> ReplaceUserAsync(
        ScimUser user, long baseVersion, long seatLimit, IReadOnlyDictionary<string, string> mapping, ChangeContext context, CancellationToken ct = default);

    Task<(ScimWriteResult<ScimUser> Result, long Seats)> DeleteUserAsync(
        string orgId, string id, long? baseVersion, ChangeContext context, CancellationToken ct = default);

    Task<ScimWriteResult<ScimGroup>> CreateGroupAsync(ScimGroup group, IReadOnlyDictionary<string, string> mapping, ChangeContext context, CancellationToken ct = default);

    Task<ScimWriteResult<ScimGroup>> ReplaceGroupAsync(
        ScimGroup group, long baseVersion, IReadOnlyDictionary<string, string> mapping, ChangeContext context, CancellationToken ct = default);

    Task<ScimWriteResult<ScimGroup>> DeleteGroupAsync(
        string orgId, string id, long? baseVersion, IReadOnlyDictionary<string, string> mapping, ChangeContext context, CancellationToken ct = default);

    /// <summary>Replaces the explicit mapping and brings every provisioned member's role in line with <paramref name="mapping"/>.</summary>
    Task<ScimWriteStatus> PutGroupRolesAsync(
        string orgId, IReadOnlyList<ScimGroupRole> roles, IReadOnlyDictionary<string, string> mapping, ChangeContext context, CancellationToken ct = default);
}

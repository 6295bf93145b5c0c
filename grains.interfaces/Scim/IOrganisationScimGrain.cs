using System.Collections.Immutable;
using Taskee.Grains.Storage;

namespace Taskee.Grains.Interfaces.Scim;

/// <summary>
/// An organisation's SCIM directory, served by its <see cref="IOrganisationGrain"/> activation (same grain, same key): a
/// SCIM write and the member and seat change it implies commit in one transaction, counted by the one seat counter.
/// Reads go to <see cref="IScimStore"/> directly. Every write carries the version it was computed from, except creations.
/// </summary>
[Alias("IOrganisationScimGrain")]
public interface IOrganisationScimGrain : IGrainWithStringKey
{
    /// <summary>Creates a user (an active one takes a seat, or links the member with its e-mail).</summary>
    [Alias("CreateScimUser")]
    ValueTask<ScimWriteResult<ScimUser>> CreateScimUserAsync(ScimUser user, ChangeContext context);

    /// <summary>Replaces a user at <paramref name="baseVersion"/>; deactivating frees the seat, reactivating takes one.</summary>
    [Alias("ReplaceScimUser")]
    ValueTask<ScimWriteResult<ScimUser>> ReplaceScimUserAsync(ScimUser user, long baseVersion, ChangeContext context);

    /// <summary>Deletes a user, its member and its group memberships; any version when <paramref name="baseVersion"/> is null.</summary>
    [Alias("DeleteScimUser")]
    ValueTask<ScimWriteResult<ScimUser>> DeleteScimUserAsync(string userId, long? baseVersion, ChangeContext context);

    [Alias("CreateScimGroup")]
    ValueTask<ScimWriteResult<ScimGroup>> CreateScimGroupAsync(ScimGroup group, ChangeContext context);

    [Alias("ReplaceScimGroup")]
    ValueTask<ScimWriteResult<ScimGroup>> ReplaceScimGroupAsync(ScimGroup group, long baseVersion, ChangeContext context);

    [Alias("DeleteScimGroup")]
    ValueTask<ScimWriteResult<ScimGroup>> DeleteScimGroupAsync(string groupId, long? baseVersion, ChangeContext context);

    /// <summary>Replaces the explicit group → role mapping and applies it to every provisioned member.</summary>
    [Alias("SetScimGroupRoles")]
    ValueTask<ScimWriteStatus> SetScimGroupRolesAsync(ImmutableArray<ScimGroupRole> roles, ChangeContext context);
}

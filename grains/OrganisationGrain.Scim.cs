using System.Collections.Immutable;
using Taskee.Grains.Interfaces;
using Taskee.Grains.Interfaces.Scim;
using Taskee.Grains.Storage;

namespace Taskee.Grains;

/// <summary>
/// The organisation's SCIM directory. Served by the organisation's activation because a provisioned user is a member:
/// the SCIM row, the seat it takes or frees, its role and the audit events commit in one store transaction, and the
/// seat counter here is set from that transaction's count, so the two can never disagree after a failure.
/// </summary>
internal sealed partial class OrganisationGrain : IOrganisationScimGrain
{
    public async ValueTask<ScimWriteResult<ScimUser>> CreateScimUserAsync(ScimUser user, ChangeContext context)
    {
        if (_organisation is null) return new(ScimWriteStatus.NoSuchOrganisation, null);
        RefreshIfCatalogChanged();
        var (result, seats) = await _scim.CreateUserAsync(user, Seats.Limit, context);
        return CountSeats(result, seats);
    }

    public async ValueTask<ScimWriteResult<ScimUser>> ReplaceScimUserAsync(ScimUser user, long baseVersion, ChangeContext context)
    {
        if (_organisation is null) return new(ScimWriteStatus.NoSuchOrganisation, null);
        RefreshIfCatalogChanged();
        var mapping = await _groupRoles.ResolveAsync(OrgId);
        var (result, seats) = await _scim.ReplaceUserAsync(user, baseVersion, Seats.Limit, mapping, context);
        return CountSeats(result, seats);
    }

    public async ValueTask<ScimWriteResult<ScimUser>> DeleteScimUserAsync(string userId, long? baseVersion, ChangeContext context)
    {
        if (_organisation is null) return new(ScimWriteStatus.NoSuchOrganisation, null);
        var (result, seats) = await _scim.DeleteUserAsync(OrgId, userId, baseVersion, context);
        return CountSeats(result, seats);
    }

    public async ValueTask<ScimWriteResult<ScimGroup>> CreateScimGroupAsync(ScimGroup group, ChangeContext context)
    {
        if (_organisation is null) return new(ScimWriteStatus.NoSuchOrganisation, null);
        return await _scim.CreateGroupAsync(group, await _groupRoles.ResolveAsync(OrgId), context);
    }

    public async ValueTask<ScimWriteResult<ScimGroup>> ReplaceScimGroupAsync(ScimGroup group, long baseVersion, ChangeContext context)
    {
        if (_organisation is null) return new(ScimWriteStatus.NoSuchOrganisation, null);
        return await _scim.ReplaceGroupAsync(group, baseVersion, await _groupRoles.ResolveAsync(OrgId), context);
    }

    public async ValueTask<ScimWriteResult<ScimGroup>> DeleteScimGroupAsync(string groupId, long? baseVersion, ChangeContext context)
    {
        if (_organisation is null) return new(ScimWriteStatus.NoSuchOrganisation, null);
        return await _scim.DeleteGroupAsync(OrgId, groupId, baseVersion, await _groupRoles.ResolveAsync(OrgId), context);
    }

    public async ValueTask<ScimWriteStatus> SetScimGroupRolesAsync(ImmutableArray<ScimGroupRole> roles, ChangeContext context)
    {
        if (_organisation is null) return ScimWriteStatus.NoSuchOrganisation;
        // The mapping the members follow is the one being written (or, when it is emptied, the fallback).
        return await _scim.PutGroupRolesAsync(OrgId, roles, await _groupRoles.ResolveAsync(OrgId, roles), context);
    }

    private ScimWriteResult<ScimUser> CountSeats(ScimWriteResult<ScimUser> result, long seats)
    {
        if (result.Status != ScimWriteStatus.NoSuchOrganisation) SeatsChanged(seats);
        return result;
    }
}

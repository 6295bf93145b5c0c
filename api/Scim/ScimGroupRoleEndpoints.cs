using System.Collections.Immutable;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Taskee.Api.Auth;
using Taskee.Api.Infrastructure;
using Taskee.Grains.Interfaces;
using Taskee.Grains.Interfaces.Scim;
using Taskee.Grains.Storage;

namespace Taskee.Api.Scim;

/// <summary>
/// An organisation admin's mapping from SCIM group display names to member roles:
/// <c>PUT /v1/organisations/{orgId}/scim/group-roles</c> <c>{"Taskee Admins":"admin"}</c>. Setting it re-applies every
/// provisioned member's role at once, in the same transaction, audited.
/// </summary>
public static class ScimGroupRoleEndpoints
{
    private const int MaxGroups = 500;

    public static void MapScimGroupRoleEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/v1/organisations/{orgId}/scim/group-roles").WithTags("SCIM");
        group.MapGet("/", GetAsync).RequireAuthorization(Permissions.SsoRead).WithName("GetScimGroupRoles");
        group.MapPut("/", PutAsync).RequireAuthorization(Permissions.SsoWrite)
            .WithMetadata(new IdempotentMutationAttribute()).WithName("PutScimGroupRoles");
    }

    public static async Task<Results<Ok<Dictionary<string, string>>, ProblemHttpResult>> GetAsync(
        string orgId, OrganisationGrains grains, IScimStore store, CancellationToken ct)
    {
        if (await grains.GetAsync(orgId, ct) is null) return Problems.OrganisationNotFound(orgId);
        return TypedResults.Ok(ToBody(await store.GetGroupRolesAsync(orgId, ct)));
    }

    public static async Task<Results<Ok<Dictionary<string, string>>, ValidationProblem, ProblemHttpResult>> PutAsync(
        string orgId, Dictionary<string, string> mapping, OrganisationGrains grains, HttpContext http, CancellationToken ct)
    {
        if (mapping.Count > MaxGroups) return Problems.Validation("groupRoles", $"At most {MaxGroups} groups can be mapped; {mapping.Count} were sent.");
        foreach (var (name, role) in mapping)
        {
            if (string.IsNullOrWhiteSpace(name) || name.Length > 256)
                return Problems.Validation("groupRoles", "Each key is a SCIM group's displayName: 1 to 256 characters.");
            if (role is null || !ScimRoles.IsKnown(role))
                return Problems.Validation($"groupRoles.{name}", $"The role must be one of: {string.Join(", ", ScimRoles.ByPrivilege)}.");
        }
        if (mapping.Keys.GroupBy(ScimRoles.GroupKey).FirstOrDefault(g => g.Count() > 1) is { } twice)
            return Problems.Validation("groupRoles", $"Group names are compared case-insensitively; '{string.Join("' and '", twice)}' are the same group.");

        if (await grains.GetAsync(orgId, ct) is not { } grain) return Problems.OrganisationNotFound(orgId);
        if (await grain.RequireFeatureAsync(Features.Scim, "SCIM group roles") is { } missing) return missing;

        var roles = mapping.Select(p => new ScimGroupRole(p.Key.Trim(), p.Value)).ToImmutableArray();
        var status = await grain.AsReference<IOrganisationScimGrain>().SetScimGroupRolesAsync(roles, http.ChangeContext());
        return status == ScimWriteStatus.Done ? TypedResults.Ok(ToBody(roles)) : Problems.OrganisationNotFound(orgId);
    }

    private static Dictionary<string, string> ToBody(IEnumerable<ScimGroupRole> roles) =>
        roles.OrderBy(r => r.GroupName, StringComparer.Ordinal).ToDictionary(r => r.GroupName, r => r.Role, StringComparer.Ordinal);
}

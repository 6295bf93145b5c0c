using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Taskee.Api.Auth;
using Taskee.Api.Infrastructure;
using Taskee.Grains.Interfaces;
using Taskee.Grains.Storage;

namespace Taskee.Api.Identity;

public sealed record RoleResponse(string Role, bool BuiltIn, IReadOnlyList<string> Permissions);

public sealed record RoleList(IReadOnlyList<RoleResponse> Items);

/// <param name="Role">Read-only, accepted so a role read with GET can be sent back: must be the role in the path.</param>
/// <param name="BuiltIn">Read-only: built-in roles cannot be written, so it must be false when sent.</param>
public sealed record PutRoleRequest(List<string>? Permissions, string? Role = null, bool? BuiltIn = null) : IValidatable
{
    public void Validate(ValidationErrors errors)
    {
        if (BuiltIn is true) errors.Add("builtIn", "builtIn is read-only: only custom roles (builtIn false) can be written.");
        if (Permissions is null || Permissions.Count == 0) errors.Add("permissions", "permissions is required: one or more organisation permissions.");
        foreach (var p in Permissions ?? [])
            if (!Auth.Permissions.Assignable.Contains(p))
                errors.Add("permissions", $"'{p}' is not an organisation permission; use: {string.Join(", ", Auth.Permissions.Assignable.Order())}.");
    }
}

/// <summary>Custom roles of an organisation (feature <c>custom_roles</c>): a name and the organisation permissions it grants.</summary>
public static partial class RoleEndpoints
{
    public static void MapRoleEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/v1/organisations/{orgId}/roles").WithTags("Roles");
        group.MapGet("/", ListAsync).RequireAuthorization(Permissions.RolesRead).WithName("ListRoles");
        group.MapGet("/{role}", GetAsync).RequireAuthorization(Permissions.RolesRead).WithName("GetRole");
        group.MapPut("/{role}", PutAsync).RequireAuthorization(Permissions.RolesWrite)
            .Validates<PutRoleRequest>().WithMetadata(new IdempotentMutationAttribute()).WithName("PutRole");
        group.MapDelete("/{role}", DeleteAsync).RequireAuthorization(Permissions.RolesWrite)
            .WithMetadata(new IdempotentMutationAttribute()).WithName("DeleteRole");
    }

    public static async Task<Results<Ok<RoleList>, ProblemHttpResult>> ListAsync(string orgId, OrganisationGrains grains, IIdentityStore store, CancellationToken ct)
    {
        if (await grains.GetAsync(orgId, ct) is null) return Problems.OrganisationNotFound(orgId);
        var builtIn = Roles.BuiltIn.Select(r => new RoleResponse(r, true, Roles.Grants[r].Order().ToList()));
        var custom = (await store.ListRolesAsync(orgId, ct)).Select(r => new RoleResponse(r.Role, false, r.Permissions));
        return TypedResults.Ok(new RoleList(builtIn.Concat(custom).ToList()));
    }

    public static async Task<Results<Ok<RoleResponse>, ProblemHttpResult>> GetAsync(string orgId, string role, OrganisationGrains grains, IIdentityStore store, CancellationToken ct)
    {
        if (await grains.GetAsync(orgId, ct) is null) return Problems.OrganisationNotFound(orgId);
        if (Roles.BuiltIn.Contains(role)) return TypedResults.Ok(new RoleResponse(role, true, Roles.Grants[role].Order().ToList()));
        var custom = (await store.ListRolesAsync(orgId, ct)).FirstOrDefault(r => r.Role == role);
        return custom is null ? Problems.NotFound($"Organisation '{orgId}' has no role '{role}'.") : TypedResults.Ok(new RoleResponse(role, false, custom.Permissions));
    }

    public static async Task<Results<Ok<RoleResponse>, ValidationProblem, ProblemHttpResult>> PutAsync(
        string orgId, string role, PutRoleRequest request, OrganisationGrains grains, IIdentityStore store, IdentityCache cache, HttpContext http, CancellationToken ct)
    {
        if (!RoleName().IsMatch(role) || Roles.BuiltIn.Contains(role) || Roles.IsPlatformRole(role) || role == Roles.Usage)
            return Problems.Validation("role", "role must be 2 to 64 characters of a-z, 0-9, '-', '_' and not a built-in role name.");
        if (request.Role is not null && request.Role != role)
            return Problems.Validation("role", $"role is read-only and names the role in the path: send '{role}' or leave it out.");
        if (await grains.GetAsync(orgId, ct) is not { } grain) return Problems.OrganisationNotFound(orgId);
        if (await grain.RequireFeatureAsync(Features.CustomRoles, "Custom roles") is { } missing) return missing;

        var permissions = request.Permissions!.Distinct().Order().ToList();
        var existing = (await store.ListRolesAsync(orgId, ct)).FirstOrDefault(r => r.Role == role);
        if (existing is not null && existing.Permissions.SequenceEqual(permissions)) return TypedResults.Ok(new RoleResponse(role, false, permissions));
        var audit = new AuditRecord(existing is null ? "role.created" : "role.updated", $"organisations/{orgId}/roles/{role}",
            existing is null ? null : JsonSerializer.Serialize(new { role, permissions = existing.Permissions }),
            JsonSerializer.Serialize(new { role, permissions }));
        await store.PutRoleAsync(new CustomRole(orgId, role, permissions), audit, http.ChangeContext(), ct);
        cache.Invalidate(orgId);
        return TypedResults.Ok(new RoleResponse(role, false, permissions));
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> DeleteAsync(
        string orgId, string role, OrganisationGrains grains, IIdentityStore store, IdentityCache cache, HttpContext http, CancellationToken ct)
    {
        if (await grains.GetAsync(orgId, ct) is null) return Problems.OrganisationNotFound(orgId);
        var audit = new AuditRecord("role.deleted", $"organisations/{orgId}/roles/{role}", JsonSerializer.Serialize(new { role }), null);
        if (!await store.DeleteRoleAsync(orgId, role, audit, http.ChangeContext(), ct))
            return Problems.NotFound($"Organisation '{orgId}' has no custom role '{role}'.");
        cache.Invalidate(orgId);
        return TypedResults.NoContent();
    }

    [GeneratedRegex("^[a-z0-9][a-z0-9_-]{1,63}$", RegexOptions.CultureInvariant)]
    private static partial Regex RoleName();
}

using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Taskee.Api.Auth;
using Taskee.Api.Infrastructure;
using Taskee.Grains.Interfaces;

namespace Taskee.Api.Members;

public sealed partial record ChangeMemberRoleRequest(string? Role) : IValidatable
{
    public void Validate(ValidationErrors errors)
    {
        if (Role is null || !RoleName().IsMatch(Role))
            errors.Add("role", $"role is required: a built-in role ({string.Join(", ", MemberRoles.BuiltIn)}) or one of the organisation's custom roles.");
    }

    [GeneratedRegex("^[a-z0-9][a-z0-9_-]{1,63}$", RegexOptions.CultureInvariant)]
    private static partial Regex RoleName();
}

/// <summary>
/// An admin gives a member another role. Members carry no version of their own, so the change is one of the
/// organisation: If-Match takes the organisation's ETag (also sent with the member list), and the change bumps it.
/// </summary>
public static class MemberRoleEndpoints
{
    public static void MapMemberRoleEndpoints(this IEndpointRouteBuilder app) =>
        app.MapPatch("/v1/organisations/{orgId}/members/{userId}", ChangeRoleAsync).WithTags("Members")
            .RequireAuthorization(Permissions.MembersWrite).Validates<ChangeMemberRoleRequest>()
            .WithMetadata(new IdempotentMutationAttribute()).WithName("ChangeMemberRole");

    public static async Task<Results<Ok<MemberResponse>, ValidationProblem, ProblemHttpResult>> ChangeRoleAsync(
        string orgId, string userId, ChangeMemberRoleRequest request, OrganisationGrains grains, HttpContext http, CancellationToken ct)
    {
        if (!ETags.TryReadIfMatch(http.Request, out var expectedVersion))
            return Problems.Validation("If-Match", "If-Match must be the quoted ETag of the organisation or its member list, like \"3\" (with the quotes).");
        if (await grains.GetAsync(orgId, ct) is not { } grain) return Problems.OrganisationNotFound(orgId);

        var result = await grain.SetMemberRoleAsync(
            new MemberRoleRequest(userId, request.Role!, expectedVersion, http.Caller().Has(Permissions.RolesWrite)), http.ChangeContext());
        ETags.Set(http, ETags.Format(result.Version));
        return result.Status switch
        {
            MemberRoleStatus.Done => TypedResults.Ok(MemberResponse.From(result.Member!)),
            MemberRoleStatus.VersionMismatch => Problems.PreconditionFailed(result.Version),
            MemberRoleStatus.NotMember => Problems.NotFound($"'{userId}' is not a member of '{orgId}'."),
            MemberRoleStatus.UnknownRole => Problems.Validation("role",
                $"'{request.Role}' is not a role of '{orgId}': use a built-in role ({string.Join(", ", MemberRoles.BuiltIn)}) or create the custom role first."),
            MemberRoleStatus.OwnerChangeNotAllowed => Problems.Forbidden(
                $"Only an owner of '{orgId}' (permission '{Permissions.RolesWrite}') may make or unmake an owner; ask an owner."),
            MemberRoleStatus.LastOwner => Problems.Conflict(
                $"'{userId}' is the only owner of '{orgId}': make someone else owner first, then change this role."),
            _ => Problems.OrganisationNotFound(orgId),
        };
    }
}

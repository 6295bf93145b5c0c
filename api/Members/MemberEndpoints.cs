using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Taskee.Api.Auth;
using Taskee.Api.Infrastructure;
using Taskee.Grains.Interfaces;
using Taskee.Grains.Storage;

namespace Taskee.Api.Members;

public sealed partial record AddMemberRequest(string? UserId, string? Email, string? Role) : IValidatable
{
    public void Validate(ValidationErrors errors)
    {
        if (UserId is null || !UserIdPattern().IsMatch(UserId))
            errors.Add("userId", "userId is required: 1 to 128 characters of letters, digits and . _ @ : -.");
        if (Email is null || Email.Length > 254 || !EmailPattern().IsMatch(Email))
            errors.Add("email", "email is required and must look like name@example.com.");
        if (Role is null || !MemberRoles.BuiltIn.Contains(Role))
            errors.Add("role", $"role must be one of: {string.Join(", ", MemberRoles.BuiltIn)}.");
    }

    [GeneratedRegex("^[A-Za-z0-9._@:-]{1,128}$", RegexOptions.CultureInvariant)]
    private static partial Regex UserIdPattern();

    [GeneratedRegex(@"^[^@\s]+@[^@\s]+\.[^@\s]+$", RegexOptions.CultureInvariant)]
    private static partial Regex EmailPattern();
}

public sealed record MemberResponse(string UserId, string Email, string Role, DateTimeOffset AddedAt)
{
    public static MemberResponse From(Member m) => new(m.UserId, m.Email, m.Role, m.AddedAt);
}

public sealed record MemberList(IReadOnlyList<MemberResponse> Items);

/// <summary>Members hold seats: adding one takes a seat in the same transaction that checks the seat limit.</summary>
public static class MemberEndpoints
{
    public static void MapMemberEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/v1/organisations/{orgId}/members").WithTags("Members");
        group.MapPost("/", AddAsync).RequireAuthorization(Permissions.MembersWrite)
            .Validates<AddMemberRequest>().WithMetadata(new IdempotentMutationAttribute()).WithName("AddMember");
        group.MapGet("/", ListAsync).RequireAuthorization(Permissions.MembersRead).WithName("ListMembers");
        group.MapDelete("/{userId}", RemoveAsync).RequireAuthorization(Permissions.MembersWrite)
            .WithMetadata(new IdempotentMutationAttribute()).WithName("RemoveMember");
    }

    public static async Task<Results<Created<MemberResponse>, ValidationProblem, ProblemHttpResult>> AddAsync(
        string orgId, AddMemberRequest request, OrganisationGrains grains, TimeProvider clock, HttpContext http, CancellationToken ct)
    {
        if (await grains.GetAsync(orgId, ct) is not { } grain) return Problems.OrganisationNotFound(orgId);
        // Making someone an owner hands out what an admin does not have (roles and SSO): only an owner may do it.
        if (request.Role == Roles.Owner && !http.Caller().Has(Permissions.RolesWrite))
            return Problems.Forbidden($"Only an owner of '{orgId}' (permission '{Permissions.RolesWrite}') may add a member with role 'owner'; add them as 'admin', then ask an owner.");

        var now = clock.GetUtcNow();
        var member = new Member(orgId, request.UserId!, request.Email!, request.Role!, new DateTimeOffset(now.Ticks - now.Ticks % TimeSpan.TicksPerMillisecond, TimeSpan.Zero));
        var result = await grain.AddMemberAsync(member, http.ChangeContext());
        return result switch
        {
            SeatChange.Done => TypedResults.Created($"/v1/organisations/{orgId}/members/{member.UserId}", MemberResponse.From(member)),
            SeatChange.AlreadyMember => Problems.Conflict($"'{member.UserId}' is already a member of '{orgId}'."),
            SeatChange.SeatLimitReached => await SeatsFullAsync(grain, orgId),
            _ => Problems.OrganisationNotFound(orgId),
        };
    }

    public static async Task<Results<Ok<MemberList>, ProblemHttpResult>> ListAsync(
        string orgId, OrganisationGrains grains, IUsageStore store, HttpContext http, CancellationToken ct)
    {
        if (await grains.GetAsync(orgId, ct) is not { } grain) return Problems.OrganisationNotFound(orgId);
        // The organisation's ETag: what a role change (PATCH .../members/{userId}) sends as If-Match.
        if (await grain.GetOrganisationAsync() is { } organisation) ETags.Set(http, ETags.Format(organisation.Version));
        var members = await store.ListMembersAsync(orgId, ct);
        return TypedResults.Ok(new MemberList(members.Select(MemberResponse.From).ToList()));
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> RemoveAsync(
        string orgId, string userId, OrganisationGrains grains, HttpContext http, CancellationToken ct)
    {
        if (await grains.GetAsync(orgId, ct) is not { } grain) return Problems.OrganisationNotFound(orgId);
        var result = await grain.RemoveMemberAsync(userId, http.ChangeContext());
        return result == SeatChange.Done
            ? TypedResults.NoContent()
            : Problems.NotFound($"'{userId}' is not a member of '{orgId}'.");
    }

    private static async Task<ProblemHttpResult> SeatsFullAsync(IOrganisationGrain grain, string orgId)
    {
        var seats = (await grain.GetUsageAsync())![Metrics.Seats];
        return Problems.Conflict($"All {seats.Limit} seats of '{orgId}' are taken ({seats.Used} used). Remove a member or raise the seat limit.");
    }
}

using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;
using Taskee.Api.Auth;
using Taskee.Api.Infrastructure;
using Taskee.Grains.Interfaces;
using Taskee.Grains.Storage;

namespace Taskee.Api.Offboarding;

/// <summary>
/// Tenant offboarding: the owner (or a platform admin) asks for it; the organisation is blocked at once, its full export
/// is offered for <c>Privacy:OffboardingWindow</c>, and then <see cref="OffboardingDeletionJob"/> deletes it. Within the
/// window it can be cancelled. Start and cancel go through the organisation's grain with their audit event.
/// </summary>
public static class OffboardingEndpoints
{
    public static void MapOffboardingEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/v1/organisations/{orgId}/offboard").WithTags("Offboarding");
        group.MapPost("/", StartAsync).RequireAuthorization(Permissions.OrgOffboard)
            .Validates<OffboardRequest>().WithMetadata(new IdempotentMutationAttribute()).WithName("OffboardOrganisation");
        group.MapGet("/", GetAsync).RequireAuthorization(Permissions.OrgOffboard).WithName("GetOffboarding");
        group.MapDelete("/", CancelAsync).RequireAuthorization(Permissions.OrgOffboard)
            .WithMetadata(new IdempotentMutationAttribute()).WithName("CancelOffboarding");
        group.MapGet("/export", ExportAsync).RequireAuthorization(Permissions.OrgOffboard).WithName("DownloadOffboardingExport")
            .Produces(StatusCodes.Status200OK, contentType: "application/zip");
    }

    public static async Task<Results<Accepted<OffboardingResponse>, ValidationProblem, ProblemHttpResult>> StartAsync(
        string orgId, OffboardRequest request, OrganisationGrains grains, IOptions<OffboardingOptions> options, TimeProvider clock,
        HttpContext http, CancellationToken ct)
    {
        if (await grains.FindAsync(orgId, ct) is not { } current) return Problems.OrganisationNotFound(orgId);
        if (request.Confirm != orgId)
            return Problems.Validation("confirm", $"confirm must be the organisation's id ('{orgId}'), to confirm that its data is deleted after the offboarding window.");
        if (current.Offboarding is not null) return Problems.Conflict($"Organisation '{orgId}' is being offboarded already; GET this route to follow it.");
        if (ActiveSubscription(current) is { } subscription)
            return Problems.Conflict($"Organisation '{orgId}' has an active Stripe subscription ({subscription.Id}, {subscription.Status}); cancel it in Stripe first, then offboard.");

        var now = clock.GetUtcNow();
        var offboarding = new OrganisationOffboarding(OrganisationStamp.ToMilliseconds(now), OrganisationStamp.ToMilliseconds(now + options.Value.OffboardingWindow));
        var result = await grains.ChangeAsync(orgId, null, o => o.Offboarding is not null || ActiveSubscription(o) is not null ? null
            : new OrganisationChange(o with { Offboarding = offboarding }, _ => new AuditRecord("org.offboarding.started", $"organisations/{orgId}/offboard", null,
                System.Text.Json.JsonSerializer.Serialize(offboarding, AuditJsonOptions.Options))), http.ChangeContext());
        switch (result.Status)
        {
            case WriteStatus.NotFound:
                return Problems.OrganisationNotFound(orgId);
            case WriteStatus.Unchanged:
                return Problems.Conflict($"Organisation '{orgId}' changed meanwhile (offboarded already, or subscribed); GET it and try again.");
        }
        return TypedResults.Accepted($"/v1/organisations/{orgId}/offboard", OffboardingResponse.From(orgId, result.Value!.Offboarding!));
    }

    /// <summary>The subscription Stripe still bills (any status but ended); offboarding waits until it is cancelled.</summary>
    private static BillingSubscription? ActiveSubscription(Organisation o) =>
        o.Billing?.Subscription is { Status: not ("canceled" or "incomplete_expired") } subscription ? subscription : null;

    public static async Task<Results<Ok<OffboardingResponse>, ProblemHttpResult>> GetAsync(
        string orgId, OrganisationGrains grains, IOffboardingStore store, CancellationToken ct)
    {
        if (await grains.FindAsync(orgId, ct) is { } organisation)
            return organisation.Offboarding is { } offboarding
                ? TypedResults.Ok(OffboardingResponse.From(orgId, offboarding))
                : Problems.NotFound($"Organisation '{orgId}' is not being offboarded.");
        return await store.GetTombstoneAsync(orgId, ct) is { } tombstone
            ? TypedResults.Ok(OffboardingResponse.From(tombstone))
            : Problems.OrganisationNotFound(orgId);
    }

    public static async Task<Results<Ok<Organisations.OrganisationResponse>, ProblemHttpResult>> CancelAsync(
        string orgId, OrganisationGrains grains, HttpContext http, CancellationToken ct)
    {
        var result = await grains.ChangeAsync(orgId, null, o => o.Offboarding is not { } offboarding ? null
            : new OrganisationChange(o with { Offboarding = null }, _ => new AuditRecord("org.offboarding.cancelled", $"organisations/{orgId}/offboard",
                System.Text.Json.JsonSerializer.Serialize(offboarding, AuditJsonOptions.Options), null)), http.ChangeContext());
        return result.Status switch
        {
            WriteStatus.NotFound => Problems.OrganisationNotFound(orgId),
            WriteStatus.Unchanged => Problems.NotFound($"Organisation '{orgId}' is not being offboarded."),
            _ => TypedResults.Ok(Organisations.OrganisationResponse.From(result.Value!)),
        };
    }

    public static async Task<Results<FileStreamHttpResult, ProblemHttpResult>> ExportAsync(
        string orgId, OrganisationGrains grains, OffboardingExport export, CancellationToken ct)
    {
        if (await grains.FindAsync(orgId, ct) is not { } organisation) return Problems.OrganisationNotFound(orgId);
        if (organisation.Offboarding is null)
            return Problems.NotFound($"Organisation '{orgId}' is not being offboarded; its export is offered once POST /v1/organisations/{orgId}/offboard started it.");
        var archive = await export.BuildAsync(organisation, grains.Get(orgId), ct);
        return TypedResults.File(archive, "application/zip", $"offboarding-{orgId}.zip");
    }
}

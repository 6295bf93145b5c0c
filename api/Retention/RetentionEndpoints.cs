using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Taskee.Api.Auth;
using Taskee.Api.Infrastructure;
using Taskee.Grains.Catalog;
using Taskee.Grains.Interfaces;
using Taskee.Grains.Storage;

namespace Taskee.Api.Retention;

/// <summary>
/// An organisation's audit retention. Reading it is the organisation's; changing it is a contract term, so it takes a
/// platform key (as plan and limits do). The change goes through the organisation's grain with its audit event.
/// </summary>
public static class RetentionEndpoints
{
    public static void MapRetentionEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/v1/organisations/{orgId}/retention").WithTags("Retention");
        group.MapGet("/", GetAsync).RequireAuthorization(Permissions.OrgRead).WithName("GetRetention");
        group.MapPut("/", SetAsync).RequireAuthorization(Permissions.OrgPlanWrite)
            .Validates<SetRetentionRequest>().WithMetadata(new IdempotentMutationAttribute()).WithName("SetRetentionOverride");
        group.MapDelete("/", ResetAsync).RequireAuthorization(Permissions.OrgPlanWrite)
            .WithMetadata(new IdempotentMutationAttribute()).WithName("ResetRetentionOverride");
    }

    public static async Task<Results<Ok<RetentionResponse>, ProblemHttpResult>> GetAsync(
        string orgId, OrganisationGrains grains, CatalogCache catalog, IAuditRetentionStore retention, CancellationToken ct)
    {
        if (await grains.FindAsync(orgId, ct) is not { } organisation) return Problems.OrganisationNotFound(orgId);
        return TypedResults.Ok(await ResponseAsync(organisation, catalog, retention, ct));
    }

    public static Task<Results<Ok<RetentionResponse>, ProblemHttpResult>> SetAsync(
        string orgId, SetRetentionRequest request, OrganisationGrains grains, CatalogCache catalog, IAuditRetentionStore retention,
        HttpContext http, CancellationToken ct) =>
        ChangeAsync(orgId, request.AuditRetentionDays, grains, catalog, retention, http, ct);

    public static Task<Results<Ok<RetentionResponse>, ProblemHttpResult>> ResetAsync(
        string orgId, OrganisationGrains grains, CatalogCache catalog, IAuditRetentionStore retention, HttpContext http, CancellationToken ct) =>
        ChangeAsync(orgId, null, grains, catalog, retention, http, ct);

    private static async Task<Results<Ok<RetentionResponse>, ProblemHttpResult>> ChangeAsync(
        string orgId, int? days, OrganisationGrains grains, CatalogCache catalog, IAuditRetentionStore retention, HttpContext http, CancellationToken ct)
    {
        var result = await grains.ChangeAsync(orgId, null, o => Change(o, days), http.ChangeContext());
        if (result.Status == WriteStatus.NotFound) return Problems.OrganisationNotFound(orgId);
        return TypedResults.Ok(await ResponseAsync(result.Value!, catalog, retention, ct));
    }

    /// <summary>The override as a change of the organisation; null when it already has it (no version bump, no event).</summary>
    internal static OrganisationChange? Change(Organisation current, int? days)
    {
        if (current.AuditRetentionDays == days) return null;
        var before = Json(current.AuditRetentionDays);
        return new OrganisationChange(current with { AuditRetentionDays = days }, _ => new AuditRecord(
            days is null ? "org.retention.reset" : "org.retention.set", $"organisations/{current.Id}/retention", before, Json(days)));
    }

    private static string Json(int? days) =>
        JsonSerializer.Serialize(new { auditRetentionDays = days }, AuditJsonOptions.Options);

    private static async Task<RetentionResponse> ResponseAsync(
        Organisation organisation, CatalogCache catalog, IAuditRetentionStore retention, CancellationToken ct)
    {
        var plan = catalog.Current.Plans.GetValueOrDefault(organisation.PlanId);
        var checkpoint = await retention.GetCheckpointAsync(organisation.Id, ct);
        return new RetentionResponse(AuditRetention.DaysFor(organisation, plan), organisation.AuditRetentionDays,
            plan?.AuditRetentionDays ?? AuditRetention.DefaultDays, checkpoint is null ? null : AuditCheckpointResponse.From(checkpoint));
    }
}

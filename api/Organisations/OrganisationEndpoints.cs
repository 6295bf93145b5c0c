using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Taskee.Api.Auth;
using Taskee.Api.Infrastructure;
using Taskee.Grains.Catalog;
using Taskee.Grains.Interfaces;
using Taskee.Grains.Storage;

namespace Taskee.Api.Organisations;

/// <summary>The admin API of organisations: create, list, read, update, limit and feature overrides, entitlements.</summary>
public static class OrganisationEndpoints
{
    public const int MaxPageSize = 200;

    public static void MapOrganisationEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/v1/organisations").WithTags("Organisations");

        group.MapPost("/", CreateAsync).RequireAuthorization(Permissions.OrgsCreate)
            .Validates<CreateOrganisationRequest>().WithMetadata(new IdempotentMutationAttribute()).WithName("CreateOrganisation");
        group.MapGet("/", ListAsync).RequireAuthorization(Permissions.OrgsList).WithName("ListOrganisations");
        group.MapGet("/{orgId}", GetAsync).RequireAuthorization(Permissions.OrgRead).WithName("GetOrganisation");
        group.MapPatch("/{orgId}", PatchAsync).RequireAuthorization(Permissions.OrgWrite)
            .Validates<PatchOrganisationRequest>().WithMetadata(new IdempotentMutationAttribute()).WithName("UpdateOrganisation")
            .ProducesProblem(StatusCodes.Status412PreconditionFailed);

        group.MapPut("/{orgId}/limits/{metric}", SetLimitAsync).RequireAuthorization(Permissions.LimitsWrite)
            .Validates<SetLimitRequest>().WithMetadata(new IdempotentMutationAttribute()).WithName("SetLimitOverride");
        group.MapDelete("/{orgId}/limits/{metric}", ResetLimitAsync).RequireAuthorization(Permissions.LimitsWrite)
            .WithMetadata(new IdempotentMutationAttribute()).WithName("ResetLimitOverride");
        group.MapPut("/{orgId}/features/{feature}", SetFeatureAsync).RequireAuthorization(Permissions.FeaturesWrite)
            .Validates<SetFeatureRequest>().WithMetadata(new IdempotentMutationAttribute()).WithName("SetFeatureOverride");
        group.MapDelete("/{orgId}/features/{feature}", ResetFeatureAsync).RequireAuthorization(Permissions.FeaturesWrite)
            .WithMetadata(new IdempotentMutationAttribute()).WithName("ResetFeatureOverride");

        group.MapGet("/{orgId}/entitlements", GetEntitlementsAsync).RequireAuthorization(Permissions.EntitlementsRead).WithName("GetEntitlements");
    }

    public static async Task<Results<Created<OrganisationResponse>, ValidationProblem, ProblemHttpResult>> CreateAsync(
        CreateOrganisationRequest request, OrganisationGrains grains, CatalogCache catalog, HttpContext http, CancellationToken ct)
    {
        if (!catalog.Current.Plans.ContainsKey(request.Plan!)) return UnknownPlan(request.Plan!, catalog);

        var result = await grains.CreateAsync(OrganisationChanges.New(request), OrganisationChanges.Created, http.ChangeContext());
        if (result.Status == WriteStatus.Conflict) return Problems.Conflict($"Organisation '{request.Id}' already exists; choose another id.");

        var created = result.Value!;
        ETags.Set(http, ETags.Format(created.Version));
        return TypedResults.Created($"/v1/organisations/{created.Id}", OrganisationResponse.From(created));
    }

    public static async Task<Results<Ok<OrganisationPage>, ValidationProblem>> ListAsync(
        IOrganisationStore store, CancellationToken ct, string? after = null, int limit = 50)
    {
        if (limit is < 1 or > MaxPageSize) return Problems.Validation("limit", $"limit must be between 1 and {MaxPageSize}.");
        var page = await store.ListAsync(after, limit, ct);
        var next = page.Count == limit ? page[^1].Id : null;
        return TypedResults.Ok(new OrganisationPage(page.Select(OrganisationResponse.From).ToList(), next));
    }

    public static async Task<Results<Ok<OrganisationResponse>, ProblemHttpResult>> GetAsync(
        string orgId, OrganisationGrains grains, HttpContext http, CancellationToken ct)
    {
        if (await grains.FindAsync(orgId, ct) is not { } organisation) return Problems.OrganisationNotFound(orgId);
        ETags.Set(http, ETags.Format(organisation.Version));
        return TypedResults.Ok(OrganisationResponse.From(organisation));
    }

    public static async Task<Results<Ok<OrganisationResponse>, ValidationProblem, ProblemHttpResult>> PatchAsync(
        string orgId, PatchOrganisationRequest patch, CatalogCache catalog, OrganisationGrains grains,
        HttpContext http, CancellationToken ct)
    {
        if (patch.ChangesCommercialTerms && !http.Caller().Has(Permissions.OrgPlanWrite))
            return Problems.Forbidden("Changing plan, status or billingAnchor needs a platform key; an organisation's key may change its name.");
        if (patch.Plan is not null && !catalog.Current.Plans.ContainsKey(patch.Plan)) return UnknownPlan(patch.Plan, catalog);
        if (!ETags.TryReadIfMatch(http.Request, out var expectedVersion))
            return Problems.Validation("If-Match", "If-Match must be a quoted entity tag from an earlier response, like \"3\" (with the quotes).");

        return await UpdateAsync(orgId, expectedVersion, o => OrganisationChanges.Patch(o, patch), grains, http, ct);
    }

    public static async Task<Results<Ok<OrganisationResponse>, ValidationProblem, ProblemHttpResult>> SetLimitAsync(
        string orgId, string metric, SetLimitRequest request, OrganisationGrains grains, HttpContext http, CancellationToken ct)
    {
        if (!Metrics.IsKnown(metric)) return UnknownMetric(metric);
        return await UpdateAsync(orgId, null, o => OrganisationChanges.SetLimit(o, metric, request.Limit), grains, http, ct);
    }

    public static async Task<Results<Ok<OrganisationResponse>, ValidationProblem, ProblemHttpResult>> ResetLimitAsync(
        string orgId, string metric, OrganisationGrains grains, HttpContext http, CancellationToken ct)
    {
        if (!Metrics.IsKnown(metric)) return UnknownMetric(metric);
        return await UpdateAsync(orgId, null, o => OrganisationChanges.SetLimit(o, metric, null), grains, http, ct);
    }

    public static async Task<Results<Ok<OrganisationResponse>, ValidationProblem, ProblemHttpResult>> SetFeatureAsync(
        string orgId, string feature, SetFeatureRequest request, OrganisationGrains grains, HttpContext http, CancellationToken ct)
    {
        if (!Features.IsValidKey(feature)) return InvalidFeature(feature);
        return await UpdateAsync(orgId, null, o => OrganisationChanges.SetFeature(o, feature, request.Enabled), grains, http, ct);
    }

    public static async Task<Results<Ok<OrganisationResponse>, ValidationProblem, ProblemHttpResult>> ResetFeatureAsync(
        string orgId, string feature, OrganisationGrains grains, HttpContext http, CancellationToken ct)
    {
        if (!Features.IsValidKey(feature)) return InvalidFeature(feature);
        return await UpdateAsync(orgId, null, o => OrganisationChanges.SetFeature(o, feature, null), grains, http, ct);
    }

    public static async Task<Results<Ok<EntitlementsResponse>, StatusCodeHttpResult, ProblemHttpResult>> GetEntitlementsAsync(
        string orgId, OrganisationGrains grains, HttpContext http, CancellationToken ct)
    {
        var grain = grains.Get(orgId);
        if (await grain.GetEntitlementsAsync() is not { } entitlements) return Problems.OrganisationNotFound(orgId);
        var usage = (await grain.GetUsageAsync())!.ToDictionary(u => u.Key, u => new MetricUsage(u.Value.Used, u.Value.Remaining, u.Value.Limit, u.Value.ResetsAt));

        // Settings version, catalog version and usage: any change to what the body shows changes the tag.
        var etag = ETags.Format($"{entitlements.Version}-{entitlements.CatalogVersion}-{string.Join('.', usage.Values.Select(u => u.Used))}");
        ETags.Set(http, etag);
        if (ETags.NoneMatchHits(http.Request, etag)) return TypedResults.StatusCode(StatusCodes.Status304NotModified);
        return TypedResults.Ok(new EntitlementsResponse(
            entitlements.OrgId, entitlements.PlanId, entitlements.Status, entitlements.Limits, entitlements.Features, usage, entitlements.Version));
    }

    /// <summary>Writes a change through the organisation's grain: row, version and audit event in one transaction, then its memory.</summary>
    private static async Task<Results<Ok<OrganisationResponse>, ValidationProblem, ProblemHttpResult>> UpdateAsync(
        string orgId, long? expectedVersion, Func<Organisation, OrganisationChange?> change,
        OrganisationGrains grains, HttpContext http, CancellationToken ct)
    {
        var result = await grains.ChangeAsync(orgId, expectedVersion, change, http.ChangeContext());
        switch (result.Status)
        {
            case WriteStatus.NotFound:
                return Problems.OrganisationNotFound(orgId);
            case WriteStatus.VersionMismatch:
                return Problems.PreconditionFailed(result.Value!.Version);
        }

        var organisation = result.Value!;
        ETags.Set(http, ETags.Format(organisation.Version));
        return TypedResults.Ok(OrganisationResponse.From(organisation));
    }

    private static ValidationProblem UnknownPlan(string plan, CatalogCache catalog) =>
        Problems.Validation("plan", $"Unknown plan '{plan}'; use one of: {string.Join(", ", catalog.Current.Plans.Keys.Order())}.");

    private static ValidationProblem UnknownMetric(string metric) =>
        Problems.Validation("metric", $"Unknown metric '{metric}'; use one of: {string.Join(", ", Metrics.All)}.");

    private static ValidationProblem InvalidFeature(string feature) =>
        Problems.Validation("feature", $"'{feature}' is not a feature key: 2 to 64 characters of a-z, 0-9, '_', '-', '.', starting with a letter.");
}

using System.Collections.Immutable;
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

namespace Taskee.Api.Plans;

public sealed record PlanResponse(string Id, string Name, bool Custom, IReadOnlyDictionary<string, long> Limits, IReadOnlyList<string> Features,
    IReadOnlyDictionary<string, string> Policies, long Version, IReadOnlyList<string> StripePriceIds, int AuditRetentionDays)
{
    public static PlanResponse From(Plan p) => new(p.Id, p.Name, p.Custom, p.Limits, p.Features.ToList(),
        Metrics.All.ToDictionary(m => m, m => p.IsSoft(m) ? LimitPolicy.Soft : LimitPolicy.Hard), p.Version, p.StripePriceIds.ToList(),
        p.AuditRetentionDays ?? AuditRetention.DefaultDays);
}

public sealed record PlanList(IReadOnlyList<PlanResponse> Items);

/// <summary>
/// Creates or replaces a plan. Every metric needs a limit, so a typo cannot silently mean zero.
/// <c>policies</c> is optional: <c>hard</c> (the default) or <c>soft</c> per metric. <c>stripePriceIds</c> is optional:
/// the Stripe prices that put a subscriber on this plan; absent keeps the plan's current ones, <c>[]</c> clears them.
/// <c>auditRetentionDays</c> is optional: how many days of audit history its organisations keep (an organisation may
/// override it); absent keeps the plan's current value.
/// </summary>
/// <param name="Id">Read-only, accepted so a plan read with GET can be sent back: must be the id in the path.</param>
/// <param name="Custom">Read-only (it follows from the id): must agree with it when sent.</param>
/// <param name="Version">Read-only: ignored.</param>
public sealed partial record PutPlanRequest(string? Name, Dictionary<string, long>? Limits, List<string>? Features, Dictionary<string, string>? Policies = null,
    List<string>? StripePriceIds = null, string? Id = null, bool? Custom = null, long? Version = null, int? AuditRetentionDays = null) : IValidatable
{
    public void Validate(ValidationErrors errors)
    {
        if (string.IsNullOrWhiteSpace(Name) || Name.Length > 200) errors.Add("name", "name is required: 1 to 200 characters.");
        if (Limits is null) errors.Add("limits", $"limits is required: a limit for each of {string.Join(", ", Metrics.All)}.");
        else
        {
            foreach (var (metric, limit) in Limits)
            {
                if (!Metrics.IsKnown(metric)) errors.Add($"limits.{metric}", $"Unknown metric '{metric}'; use one of: {string.Join(", ", Metrics.All)}.");
                else if (limit is < 0 or > Metrics.MaxLimit) errors.Add($"limits.{metric}", $"A limit must be between 0 and {Metrics.MaxLimit}.");
            }
            foreach (var missing in Metrics.All.Where(m => !Limits.ContainsKey(m)))
                errors.Add($"limits.{missing}", $"A limit for '{missing}' is required.");
        }
        foreach (var (metric, policy) in Policies ?? [])
        {
            if (!Metrics.IsKnown(metric)) errors.Add($"policies.{metric}", $"Unknown metric '{metric}'; use one of: {string.Join(", ", Metrics.All)}.");
            else if (!LimitPolicy.IsKnown(policy)) errors.Add($"policies.{metric}", "A policy is 'hard' (deny over the limit) or 'soft' (allow, record overage).");
            else if (metric == Metrics.Seats && policy == LimitPolicy.Soft) errors.Add($"policies.{metric}", "Seats are always hard: a member is added only when a seat is free.");
        }
        if (Features is null) errors.Add("features", "features is required: a list of feature keys (may be empty).");
        else
        {
            foreach (var feature in Features.Where(f => !IsFeatureKey(f)))
                errors.Add("features", $"'{feature}' is not a feature key: 2 to 64 characters of a-z, 0-9, '_', '-', '.'.");
        }
        foreach (var price in (StripePriceIds ?? []).Where(p => p is null || !PriceIdPattern().IsMatch(p)))
            errors.Add("stripePriceIds", $"'{price}' is not a Stripe price id (like 'price_1MoBy5LkdIwHu7ixZhnattbh').");
        if (AuditRetentionDays is { } days && !AuditRetention.IsValid(days))
            errors.Add("auditRetentionDays", $"auditRetentionDays must be {AuditRetention.Rule}.");
    }

    [System.Text.RegularExpressions.GeneratedRegex("^[A-Za-z0-9_]{1,255}$", System.Text.RegularExpressions.RegexOptions.CultureInvariant)]
    private static partial System.Text.RegularExpressions.Regex PriceIdPattern();

    private static bool IsFeatureKey(string? feature) => feature is not null && Grains.Interfaces.Features.IsValidKey(feature);
}

public static class PlanEndpoints
{
    /// <summary>The public plans; any other id is a custom (enterprise deal) plan.</summary>
    private static readonly ImmutableHashSet<string> PublicPlans = ["starter", "pro", "enterprise"];

    public static void MapPlanEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/v1/plans").WithTags("Plans");
        group.MapGet("/", List).RequireAuthorization(Permissions.PlansRead).WithName("ListPlans");
        group.MapPut("/{planId}", PutAsync).RequireAuthorization(Permissions.PlansWrite)
            .Validates<PutPlanRequest>().WithMetadata(new IdempotentMutationAttribute()).WithName("PutPlan");
    }

    public static Ok<PlanList> List(CatalogCache catalog) =>
        TypedResults.Ok(new PlanList(catalog.Current.Plans.Values.OrderBy(p => p.Id, StringComparer.Ordinal).Select(PlanResponse.From).ToList()));

    public static async Task<Results<Ok<PlanResponse>, Created<PlanResponse>, ValidationProblem, ProblemHttpResult>> PutAsync(
        string planId, PutPlanRequest request, ICatalogStore store, CatalogCache catalog, HttpContext http, CancellationToken ct)
    {
        if (!OrganisationId.IsValid(planId))
            return Problems.Validation("planId", "planId must be a slug: 3 to 63 characters of a-z, 0-9 and '-'.");

        if (request.Id is not null && request.Id != planId)
            return Problems.Validation("id", $"id '{request.Id}' is not the plan in the path ('{planId}'); leave it out or send the same.");
        if (request.Custom is { } custom && custom != !PublicPlans.Contains(planId))
            return Problems.Validation("custom", $"custom is read-only: '{planId}' is {(custom ? "a public plan" : "a custom plan")}, so send {(!custom).ToString().ToLowerInvariant()} or leave it out.");

        // Absent keeps what the plan has, so callers that predate billing do not unmap prices by replacing a plan.
        var priceIds = request.StripePriceIds?.ToImmutableSortedSet(StringComparer.Ordinal)
            ?? catalog.Current.Plans.GetValueOrDefault(planId)?.StripePriceIds ?? ImmutableSortedSet<string>.Empty;
        if (catalog.Current.Plans.Values.FirstOrDefault(p => p.Id != planId && p.StripePriceIds.Overlaps(priceIds)) is { } taken)
            return Problems.Conflict($"Plan '{taken.Id}' already maps {string.Join(", ", taken.StripePriceIds.Intersect(priceIds))}; a Stripe price maps to one plan.");

        var plan = new Plan(planId, request.Name!, !PublicPlans.Contains(planId),
            request.Limits!.ToImmutableSortedDictionary(StringComparer.Ordinal),
            request.Features!.ToImmutableSortedSet(StringComparer.Ordinal),
            (request.Policies ?? []).Where(p => p.Value == LimitPolicy.Soft).ToImmutableSortedDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal),
            Version: 0)
        {
            StripePriceIds = priceIds,
            AuditRetentionDays = request.AuditRetentionDays ?? catalog.Current.Plans.GetValueOrDefault(planId)?.AuditRetentionDays,
        };

        var result = await store.UpsertPlanAsync(plan, Describe, http.ChangeContext(), ct);
        await catalog.ReloadAsync(ct);

        var stored = result.Value!;
        ETags.Set(http, ETags.Format(stored.Version));
        return stored.Version == 1 && result.Status == WriteStatus.Done
            ? TypedResults.Created($"/v1/plans/{planId}", PlanResponse.From(stored))
            : TypedResults.Ok(PlanResponse.From(stored));
    }

    internal static AuditRecord? Describe(Plan? before, Plan after)
    {
        if (before is not null && Json(before with { Version = after.Version }) == Json(after)) return null;
        return new AuditRecord(before is null ? "plan.created" : "plan.updated", $"plans/{after.Id}",
            before is null ? null : Json(before), Json(after));
    }

    private static string Json(Plan plan) => JsonSerializer.Serialize(PlanResponse.From(plan), AuditJsonOptions.Options);
}

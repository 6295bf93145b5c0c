using Microsoft.AspNetCore.Http.HttpResults;
using Taskee.Grains.Catalog;
using Taskee.Grains.Interfaces;

namespace Taskee.Api.Infrastructure;

/// <summary>Endpoints that sell a feature (SSO, custom roles, audit export) answer 403 when the organisation lacks it.</summary>
public static class FeatureGate
{
    /// <returns>A 403 problem naming the feature, or null when the organisation has it.</returns>
    public static ValueTask<ProblemHttpResult?> RequireFeatureAsync(this IOrganisationGrain grain, string feature, string what) =>
        RequireAsync(grain, feature, what, "Enterprise plans have it");

    /// <summary>As above, for a feature more plans than Enterprise sell: the problem names the catalog's plans that include it.</summary>
    public static ValueTask<ProblemHttpResult?> RequireFeatureAsync(this IOrganisationGrain grain, string feature, string what, CatalogCache catalog)
    {
        var plans = catalog.Current.Plans.Values.Where(p => !p.Custom && p.Features.Contains(feature)).Select(p => p.Id).Order(StringComparer.Ordinal).ToList();
        return RequireAsync(grain, feature, what, plans.Count == 0 ? "no standard plan has it" : $"plans {string.Join(", ", plans)} have it");
    }

    private static async ValueTask<ProblemHttpResult?> RequireAsync(IOrganisationGrain grain, string feature, string what, string whoHasIt)
    {
        var entitlements = (await grain.GetEntitlementsAsync())!;
        return entitlements.Features.GetValueOrDefault(feature) is { Enabled: true }
            ? null
            : Problems.Forbidden($"{what} needs the feature '{feature}', which plan '{entitlements.PlanId}' does not include here; {whoHasIt}.");
    }
}

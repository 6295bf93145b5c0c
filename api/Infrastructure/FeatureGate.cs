using Microsoft.AspNetCore.Http.HttpResults;
using Taskee.Grains.Interfaces;

namespace Taskee.Api.Infrastructure;

/// <summary>Endpoints that sell a feature (SSO, custom roles, audit export) answer 403 when the organisation lacks it.</summary>
public static class FeatureGate
{
    /// <returns>A 403 problem naming the feature, or null when the organisation has it.</returns>
    public static async ValueTask<ProblemHttpResult?> RequireFeatureAsync(this IOrganisationGrain grain, string feature, string what)
    {
        var entitlements = (await grain.GetEntitlementsAsync())!;
        return entitlements.Features.GetValueOrDefault(feature) is { Enabled: true }
            ? null
            : Problems.Forbidden($"{what} needs the feature '{feature}', which plan '{entitlements.PlanId}' does not include here; Enterprise plans have it.");
    }
}

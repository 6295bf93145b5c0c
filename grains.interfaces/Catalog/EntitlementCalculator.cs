using System.Collections.Immutable;
using Taskee.Grains.Interfaces;

namespace Taskee.Grains.Catalog;

/// <summary>
/// Effective entitlements = plan defaults + organisation overrides + global flags. Pure.
/// Feature precedence: kill switch, then a billing restriction (an open dispute), then organisation override,
/// then the flag's own decision (deny, allow, plan targeting, roll-out), then the plan.
/// </summary>
public static class EntitlementCalculator
{
    public static Entitlements Calculate(Organisation org, CatalogSnapshot catalog)
    {
        var plan = catalog.Plans.GetValueOrDefault(org.PlanId);

        var limits = ImmutableSortedDictionary.CreateBuilder<string, LimitEntitlement>(StringComparer.Ordinal);
        foreach (var metric in Metrics.All)
        {
            var policy = plan is not null && plan.IsSoft(metric) ? LimitPolicy.Soft : LimitPolicy.Hard;
            limits[metric] = org.LimitOverrides.TryGetValue(metric, out var overridden)
                ? new LimitEntitlement(overridden, LimitSource.Override, policy)
                : new LimitEntitlement(plan?.Limits.GetValueOrDefault(metric) ?? 0, LimitSource.Plan, policy);
        }

        var keys = new SortedSet<string>(Features.All, StringComparer.Ordinal);
        keys.UnionWith(catalog.Flags.Keys);
        keys.UnionWith(org.FeatureOverrides.Keys);
        if (org.Billing is { } billing) keys.UnionWith(billing.RestrictedFeatures);
        if (plan is not null) keys.UnionWith(plan.Features);

        var features = ImmutableSortedDictionary.CreateBuilder<string, FeatureEntitlement>(StringComparer.Ordinal);
        foreach (var key in keys)
        {
            features[key] = Feature(key, org, plan, catalog.Flags.GetValueOrDefault(key));
        }

        return new Entitlements(org.Id, org.PlanId, org.Status, limits.ToImmutable(), features.ToImmutable(), org.Version, catalog.Version);
    }

    public static FeatureEntitlement Feature(string key, Organisation org, Plan? plan, Flag? flag)
    {
        if (flag is { Enabled: false }) return new(false, FeatureReason.KillSwitch);
        if (org.Billing is { } billing && billing.RestrictedFeatures.Contains(key)) return new(false, FeatureReason.BillingRestricted);
        if (org.FeatureOverrides.TryGetValue(key, out var overridden)) return new(overridden, FeatureReason.Override);
        if (flag is not null) return FlagEvaluator.Evaluate(flag, org.Id, org.PlanId);
        return plan is not null && plan.Features.Contains(key)
            ? new(true, FeatureReason.Plan)
            : new(false, FeatureReason.NotInPlan);
    }
}

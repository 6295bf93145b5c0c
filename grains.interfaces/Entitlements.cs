using System.Collections.Immutable;

namespace Taskee.Grains.Interfaces;

/// <summary>Why a feature is on or off for an organisation. Names are part of the public API.</summary>
public static class FeatureReason
{
    public const string Plan = "plan";
    public const string NotInPlan = "not_in_plan";
    public const string Override = "override";
    public const string KillSwitch = "kill_switch";
    public const string DenyList = "deny_list";
    public const string AllowList = "allow_list";
    public const string PlanNotTargeted = "plan_not_targeted";
    public const string FlagRollout = "flag_rollout";
    public const string FlagRolloutExcluded = "flag_rollout_excluded";
    public const string BillingRestricted = "billing_restricted";
}

/// <summary>Where an effective limit comes from.</summary>
public static class LimitSource
{
    public const string Plan = "plan";
    public const string Override = "override";
}

[GenerateSerializer, Immutable]
[Alias("FeatureEntitlement")]
public sealed record FeatureEntitlement(bool Enabled, string Reason);

/// <param name="Policy"><see cref="LimitPolicy.Hard"/> or <see cref="LimitPolicy.Soft"/>, from the plan.</param>
[GenerateSerializer, Immutable]
[Alias("LimitEntitlement")]
public sealed record LimitEntitlement(long Limit, string Source, string Policy = LimitPolicy.Hard);

/// <summary>What an organisation may do right now: its effective limits and features.</summary>
[GenerateSerializer, Immutable]
[Alias("Entitlements")]
public sealed record Entitlements(
    string OrgId,
    string PlanId,
    string Status,
    ImmutableSortedDictionary<string, LimitEntitlement> Limits,
    ImmutableSortedDictionary<string, FeatureEntitlement> Features,
    long Version,
    long CatalogVersion);

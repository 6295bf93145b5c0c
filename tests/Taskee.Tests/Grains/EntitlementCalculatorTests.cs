using System.Collections.Immutable;
using Taskee.Grains.Catalog;
using Taskee.Grains.Interfaces;

namespace Taskee.Tests.Grains;

public sealed class EntitlementCalculatorTests
{
    private static readonly Plan Pro = new("pro", "Pro", false,
        ImmutableSortedDictionary.CreateRange(new Dictionary<string, long> { ["ai_calls"] = 100, ["seats"] = 5, ["storage_bytes"] = 1000 }),
        ["api_access"], ImmutableSortedDictionary<string, string>.Empty, 1);

    private static Organisation Org(Dictionary<string, long>? limits = null, Dictionary<string, bool>? features = null) => new(
        "acme", "Acme", "pro", OrganisationStatus.Active,
        (limits ?? []).ToImmutableSortedDictionary(), (features ?? []).ToImmutableSortedDictionary(),
        null, 3, DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch);

    [Fact]
    public void Plan_defaults_apply_where_no_override_is_set()
    {
        var e = EntitlementCalculator.Calculate(Org(limits: new() { ["seats"] = 9 }), new CatalogSnapshot([Pro], [], 1));

        Assert.Equal(new LimitEntitlement(100, LimitSource.Plan), e.Limits["ai_calls"]);
        Assert.Equal(new LimitEntitlement(9, LimitSource.Override), e.Limits["seats"]);
        Assert.Equal(new FeatureEntitlement(true, FeatureReason.Plan), e.Features["api_access"]);
        Assert.Equal(new FeatureEntitlement(false, FeatureReason.NotInPlan), e.Features["sso"]);
        Assert.Equal(3, e.Version);
    }

    [Fact]
    public void The_kill_switch_beats_an_override_which_beats_the_flag_and_the_plan()
    {
        var killed = new Flag("api_access", false, 100, [], [], [], 1);
        var rolledOut = new Flag("sso", true, 100, [], [], [], 1);
        var org = Org(features: new() { ["api_access"] = true, ["sso"] = false });

        var e = EntitlementCalculator.Calculate(org, new CatalogSnapshot([Pro], [killed, rolledOut], 2));

        Assert.Equal(new FeatureEntitlement(false, FeatureReason.KillSwitch), e.Features["api_access"]);
        Assert.Equal(new FeatureEntitlement(false, FeatureReason.Override), e.Features["sso"]);
    }
}

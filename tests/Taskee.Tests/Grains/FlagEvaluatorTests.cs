using System.Collections.Immutable;
using Taskee.Grains.Catalog;
using Taskee.Grains.Interfaces;

namespace Taskee.Tests.Grains;

public sealed class FlagEvaluatorTests
{
    private static Flag MakeFlag(bool enabled = true, decimal percent = 0, string[]? plans = null, string[]? allow = null, string[]? deny = null) =>
        new("new-editor", enabled, percent, [.. plans ?? []], [.. allow ?? []], [.. deny ?? []], 1);

    public static TheoryData<Flag, string, string, bool, string> Cases => new()
    {
        { MakeFlag(enabled: false, percent: 100, allow: ["acme"]), "acme", "pro", false, FeatureReason.KillSwitch },
        { MakeFlag(percent: 100, deny: ["acme"], allow: ["acme"]), "acme", "pro", false, FeatureReason.DenyList },
        { MakeFlag(percent: 0, allow: ["acme"]), "acme", "pro", true, FeatureReason.AllowList },
        { MakeFlag(percent: 100, plans: ["enterprise"]), "acme", "pro", false, FeatureReason.PlanNotTargeted },
        { MakeFlag(percent: 100, plans: ["pro"]), "acme", "pro", true, FeatureReason.FlagRollout },
        { MakeFlag(percent: 100), "acme", "starter", true, FeatureReason.FlagRollout },
        { MakeFlag(percent: 0), "acme", "starter", false, FeatureReason.FlagRolloutExcluded },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void A_flag_decides_in_the_documented_order(Flag flag, string orgId, string planId, bool enabled, string reason)
    {
        var decision = FlagEvaluator.Evaluate(flag, orgId, planId);
        Assert.Equal(new FeatureEntitlement(enabled, reason), decision);
    }

    [Fact]
    public void The_bucket_is_stable_and_within_range()
    {
        var bucket = FlagEvaluator.Bucket("new-editor", "acme");
        Assert.Equal(bucket, FlagEvaluator.Bucket("new-editor", "acme"));
        Assert.InRange(bucket, 0, FlagEvaluator.Buckets - 1);
        Assert.NotEqual(FlagEvaluator.Bucket("new-editor", "acme"), FlagEvaluator.Bucket("other-flag", "acme") + FlagEvaluator.Buckets);
    }

    [Theory]
    [InlineData(10)]
    [InlineData(50)]
    [InlineData(90)]
    public void A_roll_out_reaches_about_its_percentage_of_organisations(int percent)
    {
        var flag = MakeFlag(percent: percent);
        var on = Enumerable.Range(0, 20_000).Count(i => FlagEvaluator.Evaluate(flag, $"org-{i}", "pro").Enabled);
        Assert.InRange(on / 200.0, percent - 1.5, percent + 1.5);
    }

    [Fact]
    public void Raising_the_percentage_only_adds_organisations()
    {
        var orgs = Enumerable.Range(0, 2000).Select(i => $"org-{i}").ToList();
        var at20 = orgs.Where(o => FlagEvaluator.Evaluate(MakeFlag(percent: 20), o, "pro").Enabled).ToHashSet();
        var at30 = orgs.Where(o => FlagEvaluator.Evaluate(MakeFlag(percent: 30), o, "pro").Enabled).ToHashSet();
        Assert.Subset(at30, at20);
    }
}

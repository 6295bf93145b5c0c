using System.Collections.Immutable;

namespace Taskee.Grains.Interfaces;

/// <summary>A plan in the catalog: default limits per metric and the features it grants.</summary>
/// <param name="Custom">True for an enterprise deal's own plan rather than a public one.</param>
/// <param name="Policies">Limit policy per metric (<see cref="LimitPolicy"/>); a metric not listed is hard.</param>
public sealed record Plan(
    string Id,
    string Name,
    bool Custom,
    ImmutableSortedDictionary<string, long> Limits,
    ImmutableSortedSet<string> Features,
    ImmutableSortedDictionary<string, string> Policies,
    long Version)
{
    /// <summary>Stripe price ids (<c>price_...</c>) that put a subscriber on this plan.</summary>
    public ImmutableSortedSet<string> StripePriceIds { get; init; } = ImmutableSortedSet<string>.Empty;

    /// <summary>Days of audit history its organisations keep (<see cref="AuditRetention"/>); null takes the default.</summary>
    public int? AuditRetentionDays { get; init; }

    public bool IsSoft(string metric) => Policies.GetValueOrDefault(metric) == LimitPolicy.Soft;
}

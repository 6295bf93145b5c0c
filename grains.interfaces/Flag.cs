using System.Collections.Immutable;

namespace Taskee.Grains.Interfaces;

/// <summary>
/// A global feature flag. <see cref="Enabled"/> false is the kill switch. Roll-out is decided by a
/// stable hash of the flag key and organisation id into 0..9999 buckets.
/// </summary>
/// <param name="RolloutPercent">0 to 100, in steps of 0.01.</param>
/// <param name="Plans">Plans the flag targets; empty targets every plan.</param>
public sealed record Flag(
    string Key,
    bool Enabled,
    decimal RolloutPercent,
    ImmutableSortedSet<string> Plans,
    ImmutableSortedSet<string> Allow,
    ImmutableSortedSet<string> Deny,
    long Version);

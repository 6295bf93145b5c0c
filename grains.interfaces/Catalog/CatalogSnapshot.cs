using System.Collections.Frozen;
using Taskee.Grains.Interfaces;

namespace Taskee.Grains.Catalog;

/// <summary>An immutable view of all plans and global flags at one catalog version.</summary>
public sealed class CatalogSnapshot(IEnumerable<Plan> plans, IEnumerable<Flag> flags, long version)
{
    public FrozenDictionary<string, Plan> Plans { get; } = plans.ToFrozenDictionary(p => p.Id);
    public FrozenDictionary<string, Flag> Flags { get; } = flags.ToFrozenDictionary(f => f.Key);

    /// <summary>Bumped by every plan or flag change, the same on every node.</summary>
    public long Version { get; } = version;
}

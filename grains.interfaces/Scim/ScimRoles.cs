using System.Collections.Immutable;

namespace Taskee.Grains.Interfaces.Scim;

/// <summary>
/// Which role a provisioned member holds: the most privileged role any of its mapped groups grants, else its base role.
/// A pure function, so the transaction that changes memberships and the mapping endpoint decide alike.
/// </summary>
public static class ScimRoles
{
    /// <summary>Most privileged first. A member in several mapped groups gets the first of these that any grants.</summary>
    public static readonly ImmutableArray<string> ByPrivilege = ["owner", "admin", "billing", "auditor", "member"];

    public static bool IsKnown(string role) => ByPrivilege.Contains(role);

    /// <summary>A mapping's key for a group display name: display names are compared case-insensitively.</summary>
    public static string GroupKey(string displayName) => displayName.Trim().ToLowerInvariant();

    /// <param name="groupNames">Display names of the groups the user is in.</param>
    /// <param name="mapping">Group key (<see cref="GroupKey"/>) → role.</param>
    public static string Resolve(IEnumerable<string> groupNames, IReadOnlyDictionary<string, string> mapping, string baseRole)
    {
        var best = -1;
        foreach (var name in groupNames)
        {
            if (!mapping.TryGetValue(GroupKey(name), out var role)) continue;
            var rank = ByPrivilege.IndexOf(role);
            if (rank >= 0 && (best < 0 || rank < best)) best = rank;
        }
        return best < 0 ? baseRole : ByPrivilege[best];
    }
}

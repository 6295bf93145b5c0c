namespace Taskee.Grains.Interfaces;

/// <summary>
/// The in-memory owner of one organisation on this node, keyed by organisation id.
/// Orleans-shaped: async methods, immutable records in and out, one turn at a time.
/// </summary>
public interface IOrganisationGrain
{
    string OrgId { get; }

    /// <summary>The organisation's stored settings as this grain holds them.</summary>
    ValueTask<Organisation> GetOrganisationAsync();

    /// <summary>Effective limits and features, computed from plan, overrides and global flags.</summary>
    ValueTask<Entitlements> GetEntitlementsAsync();

    /// <summary>Takes a newer version of the settings (after an admin change); older versions are ignored.</summary>
    ValueTask ApplyAsync(Organisation organisation);
}

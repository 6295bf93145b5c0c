using Taskee.Grains.Catalog;
using Taskee.Grains.Interfaces;

namespace Taskee.Grains;

/// <summary>
/// One organisation held in memory on this node. State changes happen under the grain's lock and
/// never await inside it, which gives Orleans' one-turn-at-a-time behaviour without a scheduler.
/// </summary>
internal sealed class OrganisationGrain(Organisation organisation, CatalogCache catalog, TimeProvider clock) : IOrganisationGrain
{
    private readonly Lock _turn = new();
    private Organisation _organisation = organisation;
    private Entitlements? _entitlements;
    private long _entitlementsCatalogVersion = -1;
    private long _lastUsedTicks = clock.GetTimestamp();

    public string OrgId => _organisation.Id;

    public long LastUsedTimestamp => Volatile.Read(ref _lastUsedTicks);

    public ValueTask<Organisation> GetOrganisationAsync()
    {
        Touch();
        return ValueTask.FromResult(Volatile.Read(ref _organisation));
    }

    public ValueTask<Entitlements> GetEntitlementsAsync()
    {
        Touch();
        var snapshot = catalog.Current;
        lock (_turn)
        {
            // Recomputed only when the organisation or the catalog changed since the last call.
            if (_entitlements is null || _entitlements.Version != _organisation.Version || _entitlementsCatalogVersion != snapshot.Version)
            {
                _entitlements = EntitlementCalculator.Calculate(_organisation, snapshot);
                _entitlementsCatalogVersion = snapshot.Version;
            }
            return ValueTask.FromResult(_entitlements);
        }
    }

    public ValueTask ApplyAsync(Organisation updated)
    {
        lock (_turn)
        {
            if (updated.Version > _organisation.Version) _organisation = updated;
        }
        return ValueTask.CompletedTask;
    }

    private void Touch() => Volatile.Write(ref _lastUsedTicks, clock.GetTimestamp());
}

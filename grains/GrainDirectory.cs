using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Taskee.Grains.Catalog;
using Taskee.Grains.Interfaces;
using Taskee.Grains.Quota;
using Taskee.Grains.Storage;

namespace Taskee.Grains;

/// <summary>
/// Finds or activates the organisation grain for an id on this node (Orleans' grain factory and
/// activation directory in one). Concurrent callers of an inactive grain share one activation.
/// </summary>
public sealed partial class GrainDirectory(
    IOrganisationStore store,
    IQuotaLedger ledger,
    CatalogCache catalog,
    QuotaRuntime runtime,
    IOptions<GrainOptions> options,
    ILogger<GrainDirectory> logger)
{
    private readonly ConcurrentDictionary<string, Lazy<Task<OrganisationGrain?>>> _activations = new(StringComparer.Ordinal);

    public int ActiveCount => _activations.Count;

    /// <summary>The grain of an existing organisation, or null when there is no such organisation.</summary>
    public async ValueTask<IOrganisationGrain?> GetAsync(string orgId, CancellationToken ct = default) => await GetGrainAsync(orgId, ct);

    internal async ValueTask<OrganisationGrain?> GetGrainAsync(string orgId, CancellationToken ct = default)
    {
        var activation = _activations.GetOrAdd(orgId, id => new Lazy<Task<OrganisationGrain?>>(() => ActivateAsync(id)));
        if (activation.Value.IsCompletedSuccessfully)
        {
            var active = activation.Value.Result;
            if (active is null) _activations.TryRemove(new(orgId, activation));
            return active;
        }
        try
        {
            var grain = await activation.Value.WaitAsync(ct);
            if (grain is null) _activations.TryRemove(new(orgId, activation));
            return grain;
        }
        catch (Exception) when (activation.Value.IsFaulted)
        {
            // A failed activation (database down) must not stick: the next call tries again.
            _activations.TryRemove(new(orgId, activation));
            throw;
        }
    }

    /// <summary>Hands a committed change to the grain when it is active here; otherwise the next activation loads it.</summary>
    public async ValueTask OnChangedAsync(Organisation organisation)
    {
        if (Active(organisation.Id) is { } grain) await grain.ApplyAsync(organisation);
    }

    /// <summary>Reports every active grain's consumption to the ledger (the periodic flush).</summary>
    public async Task FlushAllAsync(CancellationToken ct)
    {
        await Parallel.ForEachAsync(ActiveGrains(), new ParallelOptions { MaxDegreeOfParallelism = 4, CancellationToken = ct },
            async (grain, _) => await grain.FlushAsync(final: false));
    }

    /// <summary>Deactivates grains unused for longer than <see cref="GrainOptions.IdleTimeout"/>, flushing them first.</summary>
    public async Task<int> DeactivateIdleAsync()
    {
        var idleBefore = (runtime.Clock.GetUtcNow() - options.Value.IdleTimeout).UtcTicks;
        var deactivated = 0;
        foreach (var (id, activation) in _activations)
        {
            if (!activation.IsValueCreated || !activation.Value.IsCompletedSuccessfully) continue;
            if (activation.Value.Result is not { } grain || grain.LastUsedTicks > idleBefore) continue;
            // Removed first: a call arriving now activates afresh (its own lease holder) instead of using this one.
            if (!_activations.TryRemove(new(id, activation))) continue;
            await grain.FlushAsync(final: true);
            deactivated++;
            LogDeactivated(id);
        }
        return deactivated;
    }

    /// <summary>On shutdown: every grain reports and returns its leases.</summary>
    public async Task<int> DeactivateAllAsync()
    {
        var grains = ActiveGrains().ToList();
        _activations.Clear();
        await Task.WhenAll(grains.Select(g => g.FlushAsync(final: true)));
        return grains.Count;
    }

    /// <summary>Active organisations and the settings version each holds: what a reconnecting node re-checks.</summary>
    public IReadOnlyList<(string OrgId, long Version)> ActiveVersions() =>
        ActiveGrains().Select(g => (g.OrgId, g.Version)).ToList();

    /// <summary>The plan of an organisation active here, or null (callers then assume a default); never activates.</summary>
    public string? ActivePlan(string orgId) => Active(orgId)?.PlanId;

    /// <summary>The settings version the active grain holds, or null when it is not active here.</summary>
    public long? ActiveVersion(string orgId) => Active(orgId)?.Version;

    private OrganisationGrain? Active(string orgId) =>
        _activations.TryGetValue(orgId, out var activation) && activation.IsValueCreated && activation.Value.IsCompletedSuccessfully
            ? activation.Value.Result
            : null;

    private IEnumerable<OrganisationGrain> ActiveGrains() =>
        _activations.Values.Where(a => a.IsValueCreated && a.Value.IsCompletedSuccessfully && a.Value.Result is not null)
            .Select(a => a.Value.Result!);

    private async Task<OrganisationGrain?> ActivateAsync(string orgId)
    {
        var organisation = await store.GetAsync(orgId);
        if (organisation is null) return null;
        var grain = await OrganisationGrain.ActivateAsync(organisation, catalog, ledger, runtime);
        LogActivated(orgId, organisation.Version);
        return grain;
    }

    [LoggerMessage(EventId = 2001, Level = LogLevel.Debug, Message = "Activated grain {OrgId} at version {Version}")]
    private partial void LogActivated(string orgId, long version);

    [LoggerMessage(EventId = 2002, Level = LogLevel.Debug, Message = "Deactivated idle grain {OrgId}")]
    private partial void LogDeactivated(string orgId);
}

using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Taskee.Grains.Catalog;
using Taskee.Grains.Interfaces;
using Taskee.Grains.Storage;

namespace Taskee.Grains;

/// <summary>
/// Finds or activates the organisation grain for an id on this node (Orleans' grain factory and
/// activation directory in one). Concurrent callers of an inactive grain share one activation.
/// </summary>
public sealed partial class GrainDirectory(
    IOrganisationStore store,
    CatalogCache catalog,
    TimeProvider clock,
    IOptions<GrainOptions> options,
    ILogger<GrainDirectory> logger)
{
    private readonly ConcurrentDictionary<string, Lazy<Task<OrganisationGrain?>>> _activations = new(StringComparer.Ordinal);

    public int ActiveCount => _activations.Count;

    /// <summary>The grain of an existing organisation, or null when there is no such organisation.</summary>
    public async ValueTask<IOrganisationGrain?> GetAsync(string orgId, CancellationToken ct = default)
    {
        var activation = _activations.GetOrAdd(orgId, id => new Lazy<Task<OrganisationGrain?>>(() => ActivateAsync(id)));
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
        if (_activations.TryGetValue(organisation.Id, out var activation) && activation.IsValueCreated
            && activation.Value.IsCompletedSuccessfully && activation.Value.Result is { } grain)
        {
            await grain.ApplyAsync(organisation);
        }
    }

    /// <summary>Deactivates grains unused for longer than <see cref="GrainOptions.IdleTimeout"/>.</summary>
    public int DeactivateIdle()
    {
        var idleTimeout = options.Value.IdleTimeout;
        var deactivated = 0;
        foreach (var (id, activation) in _activations)
        {
            if (!activation.IsValueCreated || !activation.Value.IsCompletedSuccessfully) continue;
            if (activation.Value.Result is not { } grain) continue;
            if (clock.GetElapsedTime(grain.LastUsedTimestamp) < idleTimeout) continue;
            if (_activations.TryRemove(new(id, activation)))
            {
                deactivated++;
                LogDeactivated(id);
            }
        }
        return deactivated;
    }

    private async Task<OrganisationGrain?> ActivateAsync(string orgId)
    {
        var organisation = await store.GetAsync(orgId);
        if (organisation is null) return null;
        LogActivated(orgId, organisation.Version);
        return new OrganisationGrain(organisation, catalog, clock);
    }

    [LoggerMessage(EventId = 2001, Level = LogLevel.Debug, Message = "Activated grain {OrgId} at version {Version}")]
    private partial void LogActivated(string orgId, long version);

    [LoggerMessage(EventId = 2002, Level = LogLevel.Debug, Message = "Deactivated idle grain {OrgId}")]
    private partial void LogDeactivated(string orgId);
}

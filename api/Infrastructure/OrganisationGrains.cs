using System.Collections.Concurrent;
using Taskee.Grains.Interfaces;
using Taskee.Grains.Storage;

namespace Taskee.Api.Infrastructure;

/// <summary>
/// The API's way to organisations: their grains, through <see cref="IGrainFactory"/>. Changes are computed here from
/// the grain's current state by the pure functions of each area and committed by the grain (row, version and audit
/// event in one transaction) when nobody changed the organisation in between; otherwise they are computed again.
/// </summary>
public sealed class OrganisationGrains(IGrainFactory factory, TimeProvider clock)
{
    // A change races another only when both read the same version; a few tries settle any realistic contention.
    private const int MaxAttempts = 8;

    // GetGrain resolves the interface's grain type by reflection and builds a proxy through DI on every call, which
    // cost the product API more than the grain call itself. References are immutable and cheap to keep; the bound
    // only stops guessed organisation ids from growing the map without end.
    private const int MaxCachedReferences = 100_000;
    private readonly ConcurrentDictionary<string, IOrganisationGrain> _references = new(StringComparer.Ordinal);

    public IOrganisationGrain Get(string orgId)
    {
        if (_references.TryGetValue(orgId, out var grain)) return grain;
        if (_references.Count >= MaxCachedReferences) _references.Clear();
        return _references.GetOrAdd(orgId, id => factory.GetGrain<IOrganisationGrain>(id));
    }

    /// <summary>The organisation's grain, or null when there is no such organisation.</summary>
    public async ValueTask<IOrganisationGrain?> GetAsync(string orgId, CancellationToken ct = default)
    {
        var grain = Get(orgId);
        return await grain.GetOrganisationAsync().AsTask().WaitAsync(ct) is null ? null : grain;
    }

    public async ValueTask<Organisation?> FindAsync(string orgId, CancellationToken ct = default) =>
        await Get(orgId).GetOrganisationAsync().AsTask().WaitAsync(ct);

    public async Task<WriteResult<Organisation>> CreateAsync(Organisation organisation, Func<Organisation, AuditRecord> audit, ChangeContext context)
    {
        var stamped = OrganisationStamp.First(organisation, clock.GetUtcNow());
        return await Get(organisation.Id).CreateAsync(stamped, audit(stamped), context);
    }

    /// <summary>
    /// Applies <paramref name="change"/> to the organisation's current state and commits it. With
    /// <paramref name="expectedVersion"/> (an If-Match), a different current version is <see cref="WriteStatus.VersionMismatch"/>.
    /// </summary>
    public async Task<WriteResult<Organisation>> ChangeAsync(
        string orgId, long? expectedVersion, Func<Organisation, OrganisationChange?> change, ChangeContext context)
    {
        var grain = Get(orgId);
        for (var attempt = 1; ; attempt++)
        {
            if (await grain.GetOrganisationAsync() is not { } current) return WriteResult<Organisation>.NotFound;
            if (expectedVersion is { } expected && expected != current.Version) return new WriteResult<Organisation>(WriteStatus.VersionMismatch, current);
            if (change(current) is not { } outcome) return new WriteResult<Organisation>(WriteStatus.Unchanged, current);

            var updated = OrganisationStamp.Next(current, outcome.Updated, clock.GetUtcNow());
            var result = await grain.CommitAsync(current.Version, updated, outcome.Audit(updated), context);
            if (result.Status != WriteStatus.VersionMismatch || expectedVersion is not null || attempt == MaxAttempts) return result;
        }
    }
}

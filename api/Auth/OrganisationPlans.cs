using System.Collections.Concurrent;
using Taskee.Api.Infrastructure;

namespace Taskee.Api.Auth;

/// <summary>
/// Which plan an organisation is on, for per-plan rate limits: answered from a local copy, refreshed from the
/// organisation's grain in the background at most every <see cref="RefreshAfter"/>. Until the first answer arrives
/// the caller gets the default limits, as a caller of a plan the node does not know yet.
/// </summary>
public sealed class OrganisationPlans(OrganisationGrains grains, TimeProvider clock)
{
    public static readonly TimeSpan RefreshAfter = TimeSpan.FromSeconds(30);

    private sealed record Entry(string? Plan, long FetchedAtTicks, bool Refreshing);

    private readonly ConcurrentDictionary<string, Entry> _plans = new(StringComparer.Ordinal);

    public string? PlanOf(string orgId)
    {
        var now = clock.GetUtcNow().UtcTicks;
        if (_plans.TryGetValue(orgId, out var entry) && (entry.Refreshing || now - entry.FetchedAtTicks < RefreshAfter.Ticks)) return entry.Plan;
        var refreshing = new Entry(entry?.Plan, entry?.FetchedAtTicks ?? 0, Refreshing: true);
        if (entry is null ? _plans.TryAdd(orgId, refreshing) : _plans.TryUpdate(orgId, refreshing, entry)) _ = RefreshAsync(orgId);
        return entry?.Plan;
    }

    private async Task RefreshAsync(string orgId)
    {
        string? plan = null;
        try
        {
            plan = (await grains.FindAsync(orgId))?.PlanId;
        }
        catch (Exception)
        {
            // Unreachable for now (a silo failing over): the default limits apply and the next request asks again.
        }
        _plans[orgId] = new Entry(plan, clock.GetUtcNow().UtcTicks, Refreshing: false);
    }
}

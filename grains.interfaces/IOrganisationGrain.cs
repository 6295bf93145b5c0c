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

    /// <summary>
    /// Consumes <paramref name="amount"/> of <paramref name="metric"/> when the limit allows. Completes
    /// synchronously, without I/O or allocation, while this node's lease covers it; otherwise takes a lease.
    /// </summary>
    ValueTask<UsageResult> ConsumeAsync(string metric, long amount);

    /// <summary>Consumes at most once per idempotency key across all nodes (the ledger path).</summary>
    ValueTask<UsageResult> ConsumeOnceAsync(string metric, long amount, string idempotencyKey);

    /// <summary>Answers whether <paramref name="amount"/> would be allowed now; consumes nothing.</summary>
    ValueTask<UsageResult> CheckAsync(string metric, long amount);

    /// <summary>Gives back capacity of a gauge (storage).</summary>
    ValueTask<UsageResult> ReleaseAsync(string metric, long amount);

    /// <summary>Adds a member, taking a seat, in one transaction that checks the seat limit.</summary>
    ValueTask<SeatChange> AddMemberAsync(Member member, ChangeContext context);

    /// <summary>Removes a member and frees the seat.</summary>
    ValueTask<SeatChange> RemoveMemberAsync(string userId, ChangeContext context);

    /// <summary>The current usage of every metric as this node sees it.</summary>
    ValueTask<IReadOnlyDictionary<string, UsageResult>> GetUsageAsync();
}

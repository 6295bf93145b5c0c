using Taskee.Grains.Interfaces;

namespace Taskee.Grains.Storage;

/// <summary>One usage counter in the ledger: an organisation's metric in one period (gauges have one period, "").</summary>
public readonly record struct CounterKey(string OrgId, string Metric, string Period);

/// <summary>The ledger's totals after an operation: consumed, and leased to nodes but not yet reported.</summary>
public readonly record struct LedgerTotals(long Consumed, long Leased);

/// <summary>The outcome of a lease request.</summary>
/// <param name="Granted">Units now leased to the caller; 0 when the limit leaves fewer than were needed.</param>
/// <param name="Epoch">The lease's identity; reports must name it, so a report for a reclaimed lease is refused.</param>
public readonly record struct LeaseGrant(long Granted, long Epoch, LedgerTotals Totals);

/// <summary>The outcome of a report.</summary>
/// <param name="Fenced">True when the lease was already reclaimed (its holder was presumed dead): nothing was applied.</param>
public readonly record struct ReportOutcome(bool Fenced, LedgerTotals Totals);

/// <summary>The outcome of an idempotent consume; <see cref="Replayed"/> when the key had been used before.</summary>
public readonly record struct OnceOutcome(bool Allowed, bool Replayed, bool KeyConflict, LedgerTotals Totals);

/// <summary>
/// The usage ledger: <c>usage(org, metric, period, consumed, leased)</c> plus one lease row per holder.
/// A lease of g units is granted only when <c>consumed + leased + g &lt;= limit</c>, in one atomic statement,
/// so the allowances of all nodes together never exceed what is left.
/// </summary>
public interface IQuotaLedger
{
    /// <summary>
    /// Leases between <paramref name="need"/> and <paramref name="desired"/> units (at most 1/<paramref name="shareDivisor"/>
    /// of what is left beyond the need, so nodes share), or nothing when fewer than <paramref name="need"/> are left.
    /// Extends the holder's live lease of <paramref name="epoch"/>; any other lease of the holder on this counter is
    /// settled first (counted as consumed). Expired leases of any holder on the counter are reclaimed.
    /// </summary>
    Task<LeaseGrant> AcquireAsync(CounterKey key, string holder, long epoch, long need, long desired, long limit, bool soft,
        int shareDivisor, TimeSpan ttl, CancellationToken ct = default);

    /// <summary>
    /// Reports use of a lease: <c>consumed += used</c>, <c>leased -= used + returned</c>; renews the lease when
    /// <paramref name="renew"/>. A lease that is gone or of another epoch is fenced: nothing changes.
    /// </summary>
    Task<ReportOutcome> ReportAsync(CounterKey key, string holder, long epoch, long used, long returned, bool renew, long limit,
        TimeSpan ttl, CancellationToken ct = default);

    /// <summary>Consumes directly in the ledger, at most once per (organisation, idempotency key), kept for the retention.</summary>
    Task<OnceOutcome> ConsumeOnceAsync(CounterKey key, string idempotencyKey, long amount, long limit, bool soft, CancellationToken ct = default);

    /// <summary>Gives capacity back to a gauge; consumed never goes below zero.</summary>
    Task<LedgerTotals> ReleaseAsync(CounterKey key, long amount, CancellationToken ct = default);

    Task<LedgerTotals> ReadAsync(CounterKey key, CancellationToken ct = default);

    /// <summary>Counts the unreported part of every expired lease as consumed and removes the lease.</summary>
    Task<int> ReclaimExpiredAsync(CancellationToken ct = default);

    /// <summary>Deletes idempotency records of consumes older than <paramref name="olderThan"/>.</summary>
    Task<int> PurgeConsumeKeysAsync(DateTimeOffset olderThan, CancellationToken ct = default);

    /// <summary>Adds a member and takes a seat in one transaction that checks the seat limit.</summary>
    Task<(SeatChange Result, LedgerTotals Seats)> AddMemberAsync(Member member, long seatLimit, ChangeContext context, CancellationToken ct = default);

    /// <summary>Removes a member and frees the seat in one transaction.</summary>
    Task<(SeatChange Result, LedgerTotals Seats)> RemoveMemberAsync(string orgId, string userId, ChangeContext context, CancellationToken ct = default);

    Task<IReadOnlyList<Member>> ListMembersAsync(string orgId, CancellationToken ct = default);
}

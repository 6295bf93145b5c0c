using Taskee.Grains.Interfaces;

namespace Taskee.Grains.Storage;

/// <summary>One usage counter: an organisation's metric in one period (gauges have one period, "").</summary>
[GenerateSerializer, Immutable]
[Alias("CounterKey")]
public readonly record struct CounterKey(string OrgId, string Metric, string Period);

/// <summary>The first answer to an idempotent consume, kept for the retention.</summary>
public sealed record ConsumeKeyRecord(string Metric, long Amount, bool Allowed);

/// <summary>
/// What the organisation grain keeps in relational storage besides its usage state (Orleans grain storage):
/// members (each holds a seat), the keys of idempotent consumes, and the quota threshold events.
/// </summary>
public interface IUsageStore
{
    Task<ConsumeKeyRecord?> FindConsumeKeyAsync(string orgId, string idempotencyKey, CancellationToken ct = default);

    /// <summary>Records the answer to an idempotent consume; false when the key was recorded already (nothing written).</summary>
    Task<bool> AddConsumeKeyAsync(string orgId, string idempotencyKey, ConsumeKeyRecord record, CancellationToken ct = default);

    /// <summary>Deletes idempotency records of consumes older than <paramref name="olderThan"/>.</summary>
    Task<int> PurgeConsumeKeysAsync(DateTimeOffset olderThan, CancellationToken ct = default);

    /// <summary>Writes the 75/90/100 % events a counter has reached, each once per period; returns the highest reached.</summary>
    Task<int> RecordThresholdsAsync(CounterKey key, long used, long limit, CancellationToken ct = default);

    /// <summary>Adds a member in one transaction that checks the seat limit; returns the seats taken afterwards.</summary>
    Task<(SeatChange Result, long Seats)> AddMemberAsync(Member member, long seatLimit, ChangeContext context, CancellationToken ct = default);

    /// <summary>Removes a member and frees the seat in one transaction; returns the seats taken afterwards.</summary>
    Task<(SeatChange Result, long Seats)> RemoveMemberAsync(string orgId, string userId, ChangeContext context, CancellationToken ct = default);

    /// <summary>Sets a member's role with a <c>member.role_changed</c> event; nothing is written when it already has it.</summary>
    Task<SeatChange> ChangeMemberRoleAsync(string orgId, string userId, string role, ChangeContext context, CancellationToken ct = default);

    /// <summary>
    /// An admin's role change in one transaction: checks the organisation's version, that the role exists (built-in or
    /// the organisation's), the owner rules, then sets the role, bumps the organisation's version and writes
    /// <c>member.role_changed</c>. An unchanged role writes nothing.
    /// </summary>
    Task<MemberRoleResult> SetMemberRoleAsync(string orgId, MemberRoleRequest request, ChangeContext context, CancellationToken ct = default);

    Task<long> CountMembersAsync(string orgId, CancellationToken ct = default);

    Task<IReadOnlyList<Member>> ListMembersAsync(string orgId, CancellationToken ct = default);
}

using Orleans.Concurrency;
using Taskee.Grains.Storage;

namespace Taskee.Grains.Interfaces;

/// <summary>
/// One organisation, keyed by its id: the single writer of its settings and the single counter of its usage in
/// the cluster. Reads are answered from memory. A grain whose organisation does not exist answers "not found"
/// (null, <see cref="UsageReason.OrganisationNotFound"/>, <see cref="WriteStatus.NotFound"/>) and is collected soon.
/// </summary>
[Alias("IOrganisationGrain")]
public interface IOrganisationGrain : IGrainWithStringKey
{
    /// <summary>The organisation's stored settings; null when it does not exist.</summary>
    [ReadOnly, Alias("GetOrganisation")]
    ValueTask<Organisation?> GetOrganisationAsync();

    /// <summary>Effective limits and features from plan, overrides, billing and global flags; null when it does not exist.</summary>
    [ReadOnly, Alias("GetEntitlements")]
    ValueTask<Entitlements?> GetEntitlementsAsync();

    /// <summary>Creates the organisation with its first audit event; <see cref="WriteStatus.Conflict"/> when it exists.</summary>
    [Alias("Create")]
    ValueTask<WriteResult<Organisation>> CreateAsync(Organisation organisation, AuditRecord audit, ChangeContext context);

    /// <summary>
    /// Writes <paramref name="updated"/> (stamped with version <paramref name="baseVersion"/> + 1) and its audit event in one
    /// transaction, when the organisation is still at <paramref name="baseVersion"/>; then holds it in memory.
    /// <see cref="WriteStatus.VersionMismatch"/> carries the current state, so the caller can recompute or answer 412.
    /// </summary>
    [Alias("Commit")]
    ValueTask<WriteResult<Organisation>> CommitAsync(long baseVersion, Organisation updated, AuditRecord audit, ChangeContext context);

    /// <summary>Consumes <paramref name="amount"/> when the limit allows; from memory while the durable reservation covers it.</summary>
    [Alias("Consume")]
    ValueTask<UsageResult> ConsumeAsync(string metric, long amount);

    /// <summary>Consumes at most once per idempotency key in the cluster; a repeat replays the first answer.</summary>
    [Alias("ConsumeOnce")]
    ValueTask<UsageResult> ConsumeOnceAsync(string metric, long amount, string idempotencyKey);

    /// <summary>Several decisions for this organisation in one call, in order (a batch): check, consume or release each.</summary>
    [Alias("DecideMany")]
    ValueTask<UsageResult[]> DecideManyAsync(UsageRequest[] requests);

    /// <summary>Answers whether <paramref name="amount"/> would be allowed now; consumes nothing.</summary>
    [ReadOnly, Alias("Check")]
    ValueTask<UsageResult> CheckAsync(string metric, long amount);

    /// <summary>Gives back capacity of a gauge (storage).</summary>
    [Alias("Release")]
    ValueTask<UsageResult> ReleaseAsync(string metric, long amount);

    /// <summary>Adds a member, taking a seat, in one transaction that checks the seat limit.</summary>
    [Alias("AddMember")]
    ValueTask<SeatChange> AddMemberAsync(Member member, ChangeContext context);

    /// <summary>Removes a member and frees the seat.</summary>
    [Alias("RemoveMember")]
    ValueTask<SeatChange> RemoveMemberAsync(string userId, ChangeContext context);

    /// <summary>Gives a member another role (audited as <c>member.role_changed</c>); <see cref="SeatChange.NotMember"/> when there is none.</summary>
    [Alias("ChangeMemberRole")]
    ValueTask<SeatChange> ChangeMemberRoleAsync(string userId, string role, ChangeContext context);

    /// <summary>
    /// An admin's role change (<c>PATCH .../members/{userId}</c>): checked and written in one transaction with the
    /// organisation's new version and <c>member.role_changed</c>.
    /// </summary>
    [Alias("SetMemberRole")]
    ValueTask<MemberRoleResult> SetMemberRoleAsync(MemberRoleRequest request, ChangeContext context);

    /// <summary>The current usage of every metric; null when the organisation does not exist.</summary>
    [ReadOnly, Alias("GetUsage")]
    ValueTask<IReadOnlyDictionary<string, UsageResult>?> GetUsageAsync();

    /// <summary>The silo this activation lives on (its silo address, as <c>GET /v1/cluster/nodes</c> lists it).</summary>
    [ReadOnly, Alias("GetSilo")]
    ValueTask<string> GetSiloAsync();

    /// <summary>
    /// Drops the organisation from memory after its data was deleted (offboarding): it answers "not found" from now on,
    /// and deactivates without writing its usage back.
    /// </summary>
    [Alias("Forget")]
    Task ForgetAsync();

    /// <summary>Writes counted consumption now (it is also written on a timer and on deactivation).</summary>
    [Alias("Flush")]
    Task FlushAsync();
}

/// <summary>One decision of a batch: <see cref="Op"/> is <c>check</c>, <c>consume</c> or <c>release</c>.</summary>
[GenerateSerializer, Immutable]
[Alias("UsageRequest")]
public readonly record struct UsageRequest(string Op, string Metric, long Amount);

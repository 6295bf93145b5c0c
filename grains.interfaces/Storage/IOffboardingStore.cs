namespace Taskee.Grains.Storage;

/// <summary>What is kept of a deleted organisation: when, and the final head of its audit chain.</summary>
public sealed record OrganisationTombstone(string OrgId, DateTimeOffset RequestedAt, DateTimeOffset DeletedAt, long FinalSeq, string FinalHeadHash);

/// <summary>The end of an offboarding: deleting an organisation's data, keeping a tombstone and a receipt.</summary>
public interface IOffboardingStore
{
    /// <summary>Organisations whose offboarding window ended before <paramref name="now"/>, oldest first.</summary>
    Task<IReadOnlyList<string>> ListDueAsync(DateTimeOffset now, int limit, CancellationToken ct = default);

    /// <summary>
    /// In one transaction: deletes every row of the organisation (settings, members, keys, audit chain, usage, SSO, SCIM,
    /// webhooks, billing links), writes its tombstone and appends <c>org.deleted</c> with the final chain head to the
    /// platform chain. Null when it is not (or no longer) due: cancelled, or deleted already.
    /// </summary>
    Task<OrganisationTombstone?> DeleteAsync(string orgId, DateTimeOffset now, CancellationToken ct = default);

    Task<OrganisationTombstone?> GetTombstoneAsync(string orgId, CancellationToken ct = default);
}

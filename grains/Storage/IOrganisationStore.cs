using Taskee.Grains.Interfaces;

namespace Taskee.Grains.Storage;

/// <summary>
/// A change to an organisation, computed from its stored state: the new state, and how to describe it
/// for the audit log once the store has stamped it (version, time). Both are written in one transaction.
/// </summary>
public sealed record OrganisationChange(Organisation Updated, Func<Organisation, AuditRecord> Audit);

public interface IOrganisationStore
{
    /// <summary>Creates the organisation with its first audit event; <see cref="WriteStatus.Conflict"/> when the id is taken.</summary>
    Task<WriteResult<Organisation>> CreateAsync(Organisation organisation, Func<Organisation, AuditRecord> audit, ChangeContext context, CancellationToken ct = default);

    Task<Organisation?> GetAsync(string orgId, CancellationToken ct = default);

    /// <summary>Organisations ordered by id, after <paramref name="afterId"/> (keyset paging).</summary>
    Task<IReadOnlyList<Organisation>> ListAsync(string? afterId, int limit, CancellationToken ct = default);

    /// <summary>
    /// Reads the organisation under a row lock, checks <paramref name="expectedVersion"/> when given,
    /// applies <paramref name="change"/> (null means nothing to change) and writes it with its audit event.
    /// </summary>
    Task<WriteResult<Organisation>> UpdateAsync(
        string orgId, long? expectedVersion, Func<Organisation, OrganisationChange?> change, ChangeContext context, CancellationToken ct = default);
}

using Taskee.Grains.Interfaces;

namespace Taskee.Grains.Storage;

/// <summary>
/// A change to an organisation, computed from its stored state: the new state, and how to describe it
/// for the audit log once the store has stamped it (version, time). Both are written in one transaction.
/// </summary>
public sealed record OrganisationChange(Organisation Updated, Func<Organisation, AuditRecord> Audit);

public interface IOrganisationStore
{
    /// <summary>Inserts the organisation as given (stamped by the caller) with its first audit event; <see cref="WriteStatus.Conflict"/> when the id is taken.</summary>
    Task<WriteResult<Organisation>> CreateAsync(Organisation organisation, AuditRecord audit, ChangeContext context, CancellationToken ct = default);

    Task<Organisation?> GetAsync(string orgId, CancellationToken ct = default);

    /// <summary>Organisations ordered by id, after <paramref name="afterId"/> (keyset paging).</summary>
    Task<IReadOnlyList<Organisation>> ListAsync(string? afterId, int limit, CancellationToken ct = default);

    /// <summary>
    /// Writes <paramref name="updated"/> with its audit event in one transaction when the stored version is still
    /// <paramref name="baseVersion"/> (the organisation condition and the version check are in the UPDATE itself);
    /// otherwise <see cref="WriteStatus.VersionMismatch"/> with the stored state, or <see cref="WriteStatus.NotFound"/>.
    /// </summary>
    Task<WriteResult<Organisation>> CommitAsync(long baseVersion, Organisation updated, AuditRecord audit, ChangeContext context, CancellationToken ct = default);
}

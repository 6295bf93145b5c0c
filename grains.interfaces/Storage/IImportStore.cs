using Taskee.Grains.Interfaces;

namespace Taskee.Grains.Storage;

/// <summary>Rows of an import job by outcome so far (the job's checkpoint).</summary>
public sealed record ImportJobCounts(long Created, long Updated, long Unchanged, long Rejected)
{
    public static readonly ImportJobCounts Zero = new(0, 0, 0, 0);

    public long Done => Created + Updated + Unchanged + Rejected;
}

/// <summary>
/// An import submitted through <c>POST /v1/imports</c> as stored: its input lives in the database, its counts are the
/// rows recorded so far. <see cref="Status"/> is <c>queued</c>, <c>running</c>, <c>completed</c> or <c>failed</c>.
/// </summary>
public sealed record ImportJob(
    string Id,
    string Status,
    bool DryRun,
    string Format,
    long InputBytes,
    long TotalRows,
    ImportJobCounts Counts,
    string CreatedBy,
    DateTimeOffset CreatedAt,
    DateTimeOffset? StartedAt,
    DateTimeOffset? FinishedAt,
    string? Error);

/// <summary>One row's recorded outcome (<c>created</c>, <c>updated</c>, <c>unchanged</c>, <c>rejected</c>), keyed by its line.</summary>
public sealed record ImportJobRow(long Line, string Outcome, string? Reason);

/// <summary>
/// Import jobs: their input in chunks, their per-row results and their claim. A job is run by the node holding its
/// claim (<see cref="ClaimNextAsync"/>); each checkpoint records rows once (the key is the job and the line) and
/// extends the claim, so a node killed mid-import leaves a claim that runs out and a job another run resumes.
/// </summary>
public interface IImportStore
{
    /// <summary>Stores one chunk of an upload; the job row that makes it visible comes with <see cref="CreateAsync"/>.</summary>
    Task AppendInputAsync(string importId, long seq, byte[] data, CancellationToken ct = default);

    /// <summary>Forgets the chunks of an upload that was refused or broke off before its job was created.</summary>
    Task DiscardInputAsync(string importId, CancellationToken ct = default);

    /// <summary>Creates the queued job and its audit event (platform chain) in one transaction.</summary>
    Task CreateAsync(ImportJob job, AuditRecord audit, ChangeContext context, CancellationToken ct = default);

    Task<ImportJob?> GetAsync(string importId, CancellationToken ct = default);

    /// <summary>Chunk <paramref name="seq"/> of the job's input (0 first); null past the last one.</summary>
    Task<byte[]?> ReadInputAsync(string importId, long seq, CancellationToken ct = default);

    /// <summary>The oldest unfinished job whose claim is free or ran out, now claimed by <paramref name="holder"/> and running.</summary>
    Task<ImportJob?> ClaimNextAsync(string holder, DateTimeOffset now, TimeSpan lease, CancellationToken ct = default);

    /// <summary>The lines already recorded: a resumed run skips them.</summary>
    Task<IReadOnlySet<long>> RecordedLinesAsync(string importId, CancellationToken ct = default);

    /// <summary>
    /// Records rows not yet recorded, adds them to the counts and extends the claim, in one transaction; false (and
    /// nothing written) when <paramref name="holder"/> no longer holds the claim.
    /// </summary>
    Task<bool> CheckpointAsync(string importId, string holder, IReadOnlyList<ImportJobRow> rows, DateTimeOffset now, TimeSpan lease,
        CancellationToken ct = default);

    /// <summary>Gives up <paramref name="holder"/>'s claim of a job it stopped running, so the next run resumes it without waiting for the claim to run out.</summary>
    Task ReleaseAsync(string importId, string holder, CancellationToken ct = default);

    /// <summary>Ends the job (<c>completed</c> or <c>failed</c>), drops its input and audits the end, in one transaction.</summary>
    Task<bool> FinishAsync(string importId, string holder, string status, string? error, DateTimeOffset now, AuditRecord audit, ChangeContext context,
        CancellationToken ct = default);

    /// <summary>Recorded rows in line order after <paramref name="afterLine"/>; only rejected ones with <paramref name="rejectedOnly"/>.</summary>
    Task<IReadOnlyList<ImportJobRow>> ListRowsAsync(string importId, long afterLine, int limit, bool rejectedOnly, CancellationToken ct = default);
}

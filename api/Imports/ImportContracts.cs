using Taskee.Grains.Storage;

namespace Taskee.Api.Imports;

/// <summary>The answer to <c>POST /v1/imports</c>: the job was stored and queued; follow it at <c>GET /v1/imports/{id}</c>.</summary>
public sealed record ImportAccepted(string Id, string Status);

public sealed record ImportCountsResponse(long Created, long Updated, long Unchanged, long Rejected);

/// <param name="RowsTotal">Non-blank lines of the file (less the CSV header): exact unless a quoted field spans lines.</param>
/// <param name="Percent">Rows done of the total, 0 to 100; 100 once the job ended.</param>
public sealed record ImportProgressResponse(long RowsDone, long RowsTotal, int Percent);

/// <summary>A rejected row: the file's line number and why.</summary>
public sealed record ImportRowError(long Line, string Reason);

/// <param name="Errors">The first rejected rows in line order (at most <see cref="ImportResponse.MaxErrors"/>); the report has all.</param>
/// <param name="Report">Where to download the report: one CSV line per row (line, outcome, reason).</param>
public sealed record ImportResponse(
    string Id, string Status, bool DryRun, string Format, long InputBytes, ImportCountsResponse Counts, ImportProgressResponse Progress,
    IReadOnlyList<ImportRowError> Errors, bool MoreErrors, string Report, string CreatedBy, DateTimeOffset CreatedAt, DateTimeOffset? StartedAt,
    DateTimeOffset? FinishedAt, string? Error)
{
    public const int MaxErrors = 100;

    public static ImportResponse From(ImportJob job, IReadOnlyList<ImportJobRow> rejected)
    {
        var done = job.Counts.Done;
        var ended = job.Status is ImportStatuses.Completed or ImportStatuses.Failed;
        var percent = ended ? 100 : job.TotalRows == 0 ? 0 : (int)Math.Min(99, done * 100 / job.TotalRows);
        return new ImportResponse(job.Id, job.Status, job.DryRun, job.Format, job.InputBytes,
            new ImportCountsResponse(job.Counts.Created, job.Counts.Updated, job.Counts.Unchanged, job.Counts.Rejected),
            new ImportProgressResponse(done, Math.Max(job.TotalRows, done), percent),
            rejected.Take(MaxErrors).Select(r => new ImportRowError(r.Line, r.Reason ?? "")).ToList(), rejected.Count > MaxErrors,
            $"/v1/imports/{job.Id}/report", job.CreatedBy, job.CreatedAt, job.StartedAt, job.FinishedAt, job.Error);
    }
}

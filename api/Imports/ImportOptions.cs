using System.ComponentModel.DataAnnotations;

namespace Taskee.Api.Imports;

/// <summary>Configuration section <c>Import</c>: how imports run (the command's and the HTTP jobs') and how large an upload may be.</summary>
public sealed class ImportOptions
{
    public const string Section = "Import";

    /// <summary>
    /// Organisations imported at the same time. Rows of one organisation always run in file order on one worker; more
    /// workers overlap the grain calls and database writes of different organisations.
    /// </summary>
    [Range(1, 64, ErrorMessage = "Import:Parallelism must be between 1 and 64 (default 8).")]
    public int Parallelism { get; set; } = 8;

    /// <summary>Largest file <c>POST /v1/imports</c> accepts; 100,000 rows are about 12 MB.</summary>
    [Range(1024, 1L << 30, ErrorMessage = "Import:MaxFileBytes must be between 1024 and 1073741824 (default 134217728, 128 MiB).")]
    public long MaxFileBytes { get; set; } = 128L << 20;

    /// <summary>
    /// How long a node's claim on a running job lasts without a checkpoint. A node killed mid-import is resumed by the
    /// next run once it ran out: shorter resumes sooner, but must stay well above the time between checkpoints (about 1 s).
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:03", "00:10:00", ErrorMessage = "Import:ClaimLease must be between 00:00:03 and 00:10:00 (default 00:00:30).")]
    public TimeSpan ClaimLease { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How often the import job looks for a queued job (or one whose claim ran out).</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:01:00", ErrorMessage = "Import:PollInterval must be between 00:00:00.100 and 00:01:00 (default 00:00:01).")]
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);
}

using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Taskee.Grains.Interfaces;
using Taskee.Grains.Jobs;
using Taskee.Grains.Quota;
using Taskee.Grains.Storage;

namespace Taskee.Api.Imports;

/// <summary>The states of an import job, as stored and as <c>GET /v1/imports/{importId}</c> shows them.</summary>
public static class ImportStatuses
{
    public const string Queued = "queued";
    public const string Running = "running";
    public const string Completed = "completed";
    public const string Failed = "failed";
}

/// <summary>
/// Runs the import jobs of <c>POST /v1/imports</c> as the periodic job <c>imports</c> (one runner in the cluster; its
/// reminder brings it back after a crash). It claims the oldest unfinished job in the database, feeds its stored input
/// through the same <see cref="CustomerImporter"/> the command uses, and checkpoints every second: the rows done since
/// (each recorded once, by line) and a longer claim. A node killed mid-import stops extending the claim; once it ran
/// out the next run claims the job again, skips the recorded lines and applies the rest, every change "make it so",
/// so nothing is created twice (ADR 0014).
/// </summary>
public sealed class ImportJobRunner(
    IImportStore store, CustomerImporter importer, IOptions<ImportOptions> options, NodeIdentity node, TimeProvider clock,
    ILogger<ImportJobRunner> logger) : IPeriodicJob
{
    /// <summary>How often the rows done are recorded and the claim extended; well under the shortest <see cref="ImportOptions.ClaimLease"/>.</summary>
    public static readonly TimeSpan CheckpointInterval = TimeSpan.FromSeconds(1);

    public string Name => "imports";

    public TimeSpan Interval => options.Value.PollInterval;

    public bool Enabled => true;

    public async Task RunAsync(CancellationToken ct)
    {
        // An interrupted job is resumed at the next tick, not at once: a failing database is not asked again in a loop.
        while (await store.ClaimNextAsync(node.Id, clock.GetUtcNow(), options.Value.ClaimLease, ct) is { } job)
            if (!await RunJobAsync(job, ct)) return;
    }

    /// <summary>Runs the job until it ended (true) or was interrupted (false).</summary>
    private async Task<bool> RunJobAsync(ImportJob job, CancellationToken ct)
    {
        var recorded = await store.RecordedLinesAsync(job.Id, ct);
        ImportLog.JobClaimed(logger, job.Id, node.Id, recorded.Count);
        using var claim = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var checkpoint = new Checkpoint(rows => store.CheckpointAsync(job.Id, node.Id, rows, clock.GetUtcNow(), options.Value.ClaimLease),
            clock, logger, job.Id, claim);
        var flushing = checkpoint.FlushEverySecondAsync();
        try
        {
            await using var input = new ImportInputStream(store, job.Id);
            using var reader = new StreamReader(input);
            var format = job.Format == "ndjson" ? ImportFormat.Ndjson : ImportFormat.Csv;
            await importer.RunAsync(ImportReader.ReadAsync(reader, format, claim.Token), new ImportRun(job.Id, job.DryRun) { Recorded = recorded },
                checkpoint.Add, ct: claim.Token);
            if (!await checkpoint.StopAsync(flushing)) return false;
            await FinishAsync(job.Id, ImportStatuses.Completed, null, ct);
            return true;
        }
        catch (ImportFormatException ex)
        {
            // Checked when the file was uploaded, so only a file whose later part breaks the format gets here.
            if (!await checkpoint.StopAsync(flushing)) return false;
            await FinishAsync(job.Id, ImportStatuses.Failed, ex.Message, ct);
            return true;
        }
        catch (Exception ex)
        {
            // The node stopping, a database or cluster failure (a grain call timing out), or the claim lost: what was
            // recorded stays, and the next run (here or on another node) resumes from it. A claim still held is given up
            // so that happens at the next tick; when even that write fails, the claim runs out.
            await checkpoint.StopAsync(flushing);
            if (checkpoint.Lost) return false;
            ImportLog.JobInterrupted(logger, ex, job.Id);
            try
            {
                await store.ReleaseAsync(job.Id, node.Id, CancellationToken.None);
            }
            catch (Exception release) when (release is System.Data.Common.DbException or TimeoutException)
            {
                ImportLog.CheckpointFailed(logger, release, job.Id);
            }
            return false;
        }
    }

    private async Task FinishAsync(string importId, string status, string? error, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var job = await store.GetAsync(importId, ct);
        var after = JsonSerializer.Serialize(new { status, counts = job?.Counts, error }, JsonSerializerOptions.Web);
        var context = new ChangeContext(new AuditActor(CustomerImporter.ActorKind, importId), $"{importId}:finish", null);
        if (await store.FinishAsync(importId, node.Id, status, error, now, new AuditRecord($"import.{status}", $"imports/{importId}", null, after), context, ct))
            ImportLog.JobEnded(logger, importId, status);
        else
            ImportLog.ClaimLost(logger, importId);
    }

    /// <summary>The rows done and not yet recorded; written every second and at the end, each write extending the claim.</summary>
    private sealed class Checkpoint(
        Func<IReadOnlyList<ImportJobRow>, Task<bool>> write, TimeProvider clock, ILogger logger, string importId, CancellationTokenSource claim)
    {
        private readonly Lock _gate = new();
        private List<ImportJobRow> _pending = [];
        private readonly CancellationTokenSource _stopFlushing = new();

        public bool Lost { get; private set; }

        public void Add(ImportRowResult row)
        {
            lock (_gate) _pending.Add(new ImportJobRow(row.Line, row.Outcome.ToString().ToLowerInvariant(), row.Reason));
        }

        public async Task FlushEverySecondAsync()
        {
            try
            {
                while (!_stopFlushing.IsCancellationRequested)
                {
                    await Task.Delay(CheckpointInterval, clock, _stopFlushing.Token);
                    if (!await FlushAsync()) return;
                }
            }
            catch (OperationCanceledException) when (_stopFlushing.IsCancellationRequested)
            {
                // the run ended; StopAsync writes the last checkpoint
            }
        }

        /// <summary>Stops the periodic flush and writes what is left; false when the claim is lost or the write failed.</summary>
        public async Task<bool> StopAsync(Task flushing)
        {
            await _stopFlushing.CancelAsync();
            await flushing;
            return !Lost && await FlushAsync();
        }

        private async Task<bool> FlushAsync()
        {
            List<ImportJobRow> rows;
            lock (_gate) (rows, _pending) = (_pending, []);
            try
            {
                if (await write(rows))
                    return true;
                Lost = true;
                ImportLog.ClaimLost(logger, importId);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // The rows not recorded are applied again by the resumed run: each is "make it so", so that is harmless.
                ImportLog.CheckpointFailed(logger, ex, importId);
            }
            await claim.CancelAsync();
            return false;
        }
    }
}

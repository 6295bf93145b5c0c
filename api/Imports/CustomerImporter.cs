using System.Collections.Immutable;
using System.Data.Common;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Runtime;
using Taskee.Api.Billing;
using Taskee.Api.Infrastructure;
using Taskee.Api.Organisations;
using Taskee.Grains.Catalog;
using Taskee.Grains.Interfaces;
using Taskee.Grains.Storage;

namespace Taskee.Api.Imports;

/// <summary>The progress of a run: rows done and their outcomes so far.</summary>
public sealed record ImportProgress(ImportCounts Counts);

/// <summary>
/// One run of the importer: its id (the audit actor and the request ids), whether it only reports, and the lines an
/// earlier run of the same id already recorded, which it skips (a resumed HTTP job).
/// </summary>
public sealed record ImportRun(string Id, bool DryRun)
{
    public IReadOnlySet<long> Recorded { get; init; } = ImmutableHashSet<long>.Empty;

    public ChangeContext Context(long line) => new(new AuditActor(CustomerImporter.ActorKind, Id), $"{Id}:line-{line}", null);
}

/// <summary>
/// Imports existing customers row by row, each row as ordinary audited changes through the organisation's grain
/// (create or update the organisation, link its Stripe customer, add the member or change its role). Every change is
/// "make it so": a row that is already true changes nothing, which makes a re-run idempotent and a run after a crash
/// finish what the crashed one left (ADR 0014). A dry run reads the same state and changes nothing. Organisations are
/// imported <see cref="ImportOptions.Parallelism"/> at a time; the rows of one organisation stay in file order.
/// </summary>
public sealed class CustomerImporter(
    OrganisationGrains grains, BillingApplier billing, IBillingStore billingStore, IUsageStore usage,
    CatalogCache catalog, IOptions<ImportOptions> options, TimeProvider clock, ILogger<CustomerImporter> logger)
{
    public const string ActorKind = "import";

    // Rows read ahead per worker: enough to keep it busy, little enough that a file is never held in memory.
    private const int QueuedRowsPerWorker = 256;

    // Attempts per row on a transient failure, pausing 1 s, 2 s, ... between them.
    private const int MaxAttempts = 5;
    private static readonly TimeSpan RetryPause = TimeSpan.FromSeconds(1);

    /// <param name="onRow">
    /// Receives every row's outcome, one call at a time: in file order within an organisation, interleaved between
    /// organisations. Rows in <see cref="ImportRun.Recorded"/> are skipped and not reported.
    /// </param>
    public async Task<ImportCounts> RunAsync(IAsyncEnumerable<ImportRow> rows, ImportRun run,
        Action<ImportRowResult> onRow, IProgress<ImportProgress>? progress = null, CancellationToken ct = default)
    {
        ImportLog.Started(logger, run.Id, run.DryRun);
        var parallelism = options.Value.Parallelism;
        var gate = new Lock();
        var counts = ImportCounts.Zero;
        void Report(ImportRowResult result)
        {
            if (result.Reason is { } reason) ImportLog.RowRejected(logger, run.Id, result.Line, reason);
            lock (gate)
            {
                counts = counts.Add(result.Outcome);
                onRow(result);
                progress?.Report(new ImportProgress(counts));
            }
        }

        // A failing worker stops the reader (which would otherwise wait for room in its queue) and the other workers.
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var queues = Enumerable.Range(0, parallelism)
            .Select(_ => Channel.CreateBounded<ImportRow>(new BoundedChannelOptions(QueuedRowsPerWorker) { SingleReader = true, SingleWriter = true }))
            .ToArray();
        var workers = queues.Select(q => WorkAsync(run, q.Reader, Report, stop)).ToList();
        workers.Add(DistributeAsync(rows, queues, stop));
        await Task.WhenAll(workers);
        ImportLog.Finished(logger, run.Id, counts);
        return counts;
    }

    /// <summary>Reads the file and hands each row to its organisation's worker (the same one for every row of it).</summary>
    private static async Task DistributeAsync(IAsyncEnumerable<ImportRow> rows, Channel<ImportRow>[] queues, CancellationTokenSource stop)
    {
        try
        {
            await foreach (var row in rows.WithCancellation(stop.Token))
            {
                var worker = (int)((uint)StringComparer.Ordinal.GetHashCode(row.OrganisationId ?? "") % (uint)queues.Length);
                await queues[worker].Writer.WriteAsync(row, stop.Token);
            }
        }
        catch
        {
            await stop.CancelAsync();
            throw;
        }
        finally
        {
            foreach (var queue in queues) queue.Writer.TryComplete();
        }
    }

    private async Task WorkAsync(ImportRun run, ChannelReader<ImportRow> queue, Action<ImportRowResult> report, CancellationTokenSource stop)
    {
        // Organisations belong to one worker, so what the run knows of them needs no lock.
        var organisations = new Dictionary<string, OrganisationState>(StringComparer.Ordinal);
        try
        {
            await foreach (var row in queue.ReadAllAsync(stop.Token))
            {
                if (run.Recorded.Contains(row.Line)) Remember(organisations, row);
                else report(await ImportWithRetriesAsync(run, organisations, row, stop.Token));
            }
        }
        catch
        {
            await stop.CancelAsync();
            throw;
        }
    }

    /// <summary>
    /// A row whose grain call timed out (a busy or failing silo) or whose database was briefly busy is tried again
    /// after a pause: it is "make it so", so a first attempt that did take effect reads as done. Only when every attempt
    /// failed does the failure stop the run (the HTTP job then resumes later).
    /// </summary>
    private async Task<ImportRowResult> ImportWithRetriesAsync(ImportRun run, Dictionary<string, OrganisationState> organisations, ImportRow row,
        CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await ImportRowAsync(run, organisations, row, ct);
            }
            catch (Exception ex) when (attempt < MaxAttempts && IsTransient(ex) && !ct.IsCancellationRequested)
            {
                ImportLog.RowRetried(logger, run.Id, row.Line, attempt, ex.Message);
                await Task.Delay(RetryPause * attempt, clock, ct);
            }
        }
    }

    private static bool IsTransient(Exception ex) =>
        ex is TimeoutException or SiloUnavailableException or OrleansMessageRejectionException or DbException { IsTransient: true };

    /// <summary>A row an earlier run recorded: its organisation's first row still decides what later rows must agree with.</summary>
    private void Remember(Dictionary<string, OrganisationState> organisations, ImportRow raw)
    {
        var (row, _) = ImportRowValidator.Validate(raw, plan => catalog.Current.Plans.ContainsKey(plan));
        if (row is not null && !organisations.ContainsKey(row.OrganisationId))
            organisations[row.OrganisationId] = new OrganisationState(row) { Reported = true };
    }

    private async Task<ImportRowResult> ImportRowAsync(ImportRun run, Dictionary<string, OrganisationState> organisations, ImportRow raw, CancellationToken ct)
    {
        var (row, reason) = ImportRowValidator.Validate(raw, plan => catalog.Current.Plans.ContainsKey(plan));
        if (row is null) return new ImportRowResult(raw.Line, ImportOutcome.Rejected, reason);

        if (!organisations.TryGetValue(row.OrganisationId, out var organisation))
        {
            organisation = new OrganisationState(row);
            organisations[row.OrganisationId] = organisation;
        }
        else if (Differences(organisation.First, row) is { } difference)
        {
            return new ImportRowResult(row.Line, ImportOutcome.Rejected,
                $"{difference} differs from line {organisation.First.Line} of the same organisation");
        }
        // Once per organisation and run; a resumed run does it again for an organisation first seen before the crash
        // (unchanged by then, and not counted twice: its first row was reported).
        organisation.Outcome ??= await ImportOrganisationAsync(run, row, ct);
        if (organisation.Outcome.Reason is { } orgReason)
            return new ImportRowResult(row.Line, ImportOutcome.Rejected, orgReason);

        // The organisation's outcome counts once, on its first row; later rows are about their member.
        var orgOutcome = organisation.Reported ? ImportOutcome.Unchanged : organisation.Outcome.Outcome;
        organisation.Reported = true;
        var memberResult = await ImportMemberAsync(run, row, organisation, ct);
        if (memberResult.Outcome == ImportOutcome.Rejected) return memberResult;
        return new ImportRowResult(row.Line, Combine(orgOutcome, memberResult.Outcome), null);
    }

    private async Task<ImportRowResult> ImportOrganisationAsync(ImportRun run, ValidImportRow row, CancellationToken ct)
    {
        var context = run.Context(row.Line);
        var current = await grains.FindAsync(row.OrganisationId, ct);
        var outcome = ImportOutcome.Unchanged;
        if (current is null)
        {
            if (!run.DryRun)
            {
                var created = await grains.CreateAsync(New(row), OrganisationChanges.Created, context);
                // Created by someone else between the read and the write: treat it as an existing organisation.
                if (created.Status == WriteStatus.Conflict) return await ImportOrganisationAsync(run, row, ct);
                current = created.Value;
            }
            outcome = ImportOutcome.Created;
        }
        else if (Settle(current, row) is not null)
        {
            if (!run.DryRun) await grains.ChangeAsync(row.OrganisationId, null, c => Settle(c, row), context);
            outcome = ImportOutcome.Updated;
        }

        if (row.StripeCustomerId is not { } customer || current?.Billing?.CustomerId == customer)
            return new ImportRowResult(row.Line, outcome, null);
        if (current?.Billing?.CustomerId is { } other)
            return Rejected(row, $"organisation '{row.OrganisationId}' is linked to Stripe customer '{other}', not '{customer}'; unlink it first");
        if (await billingStore.FindByCustomerAsync(customer, ct) is { } owner && owner != row.OrganisationId)
            return Rejected(row, $"Stripe customer '{customer}' is linked to organisation '{owner}'");
        if (!run.DryRun)
        {
            var linked = await billing.ApplyAsync(row.OrganisationId, customer, _ => null, context, "billing.linked", ct);
            if (linked.Status == WriteStatus.Conflict)
                return Rejected(row, $"organisation '{row.OrganisationId}' was linked to another Stripe customer meanwhile");
        }
        return new ImportRowResult(row.Line, outcome == ImportOutcome.Created ? outcome : ImportOutcome.Updated, null);
    }

    private async Task<ImportRowResult> ImportMemberAsync(ImportRun run, ValidImportRow row, OrganisationState organisation, CancellationToken ct)
    {
        organisation.Members ??= run.DryRun && organisation.Outcome!.Outcome == ImportOutcome.Created
            ? new Dictionary<string, string>(StringComparer.Ordinal)
            : (await usage.ListMembersAsync(row.OrganisationId, ct)).ToDictionary(m => m.UserId, m => m.Role, StringComparer.Ordinal);

        if (organisation.Members.TryGetValue(row.UserId, out var role))
        {
            if (role == row.MemberRole) return new ImportRowResult(row.Line, ImportOutcome.Unchanged, null);
            if (!run.DryRun && await grains.Get(row.OrganisationId).ChangeMemberRoleAsync(row.UserId, row.MemberRole, run.Context(row.Line)) != SeatChange.Done)
                return Rejected(row, $"member '{row.UserId}' was removed from '{row.OrganisationId}' while importing; run the import again");
            organisation.Members[row.UserId] = row.MemberRole;
            return new ImportRowResult(row.Line, ImportOutcome.Updated, null);
        }

        if (!run.DryRun)
        {
            var member = new Member(row.OrganisationId, row.UserId, row.MemberEmail, row.MemberRole, OrganisationStamp.ToMilliseconds(clock.GetUtcNow()));
            switch (await grains.Get(row.OrganisationId).AddMemberAsync(member, run.Context(row.Line)))
            {
                case SeatChange.SeatLimitReached:
                    return Rejected(row, $"all seats of '{row.OrganisationId}' are taken; raise its seat limit or choose a larger plan");
                case SeatChange.NoSuchOrganisation:
                    return Rejected(row, $"organisation '{row.OrganisationId}' was deleted while importing");
                case SeatChange.AlreadyMember:
                    organisation.Members[row.UserId] = row.MemberRole;
                    return await ImportMemberAsync(run, row, organisation, ct);
            }
        }
        organisation.Members[row.UserId] = row.MemberRole;
        return new ImportRowResult(row.Line, ImportOutcome.Created, null);
    }

    /// <summary>The organisation with this row's name, plan and AI-call limit; null when it has them already.</summary>
    private static OrganisationChange? Settle(Organisation current, ValidImportRow row)
    {
        var limits = row.AiCallsLimit is { } limit ? current.LimitOverrides.SetItem(Metrics.AiCalls, limit) : current.LimitOverrides;
        var updated = current with { Name = row.OrganisationName, PlanId = row.Plan, LimitOverrides = limits };
        if (updated.Name == current.Name && updated.PlanId == current.PlanId && limits.SequenceEqual(current.LimitOverrides)) return null;
        return new OrganisationChange(updated, stored => new AuditRecord("org.imported", $"organisations/{current.Id}",
            OrganisationResponse.AuditJson(current), OrganisationResponse.AuditJson(stored)));
    }

    private static Organisation New(ValidImportRow row)
    {
        var limits = ImmutableSortedDictionary.Create<string, long>(StringComparer.Ordinal);
        return new Organisation(row.OrganisationId, row.OrganisationName, row.Plan, OrganisationStatus.Active,
            row.AiCallsLimit is { } limit ? limits.Add(Metrics.AiCalls, limit) : limits,
            ImmutableSortedDictionary.Create<string, bool>(StringComparer.Ordinal),
            BillingAnchor: null, Version: 1, CreatedAt: default, UpdatedAt: default);
    }

    private static string? Differences(ValidImportRow first, ValidImportRow row)
    {
        if (first.OrganisationName != row.OrganisationName) return "organisation_name";
        if (first.Plan != row.Plan) return "plan";
        if (first.StripeCustomerId != row.StripeCustomerId) return "stripe_customer_id";
        if (first.StripeSubscriptionId != row.StripeSubscriptionId) return "stripe_subscription_id";
        if (first.AiCallsLimit != row.AiCallsLimit) return "ai_calls_limit";
        return null;
    }

    private static ImportOutcome Combine(ImportOutcome organisation, ImportOutcome member) =>
        organisation == ImportOutcome.Created || member == ImportOutcome.Created ? ImportOutcome.Created
        : organisation == ImportOutcome.Updated || member == ImportOutcome.Updated ? ImportOutcome.Updated
        : ImportOutcome.Unchanged;

    private static ImportRowResult Rejected(ValidImportRow row, string reason) => new(row.Line, ImportOutcome.Rejected, reason);

    /// <summary>What this run knows of one organisation: its first row, what importing it did, its members.</summary>
    private sealed class OrganisationState(ValidImportRow first)
    {
        public ValidImportRow First { get; } = first;
        public ImportRowResult? Outcome { get; set; }
        public bool Reported { get; set; }
        public Dictionary<string, string>? Members { get; set; }
    }
}

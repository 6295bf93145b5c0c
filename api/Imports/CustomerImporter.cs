using System.Collections.Immutable;
using Microsoft.Extensions.Logging;
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
/// Imports existing customers row by row, each row as ordinary audited changes through the organisation's grain
/// (create or update the organisation, link its Stripe customer, add the member or change its role). Every change is
/// "make it so": a row that is already true changes nothing, which makes a re-run idempotent and a run after a crash
/// finish what the crashed one left (ADR 0014). A dry run reads the same state and changes nothing.
/// </summary>
public sealed class CustomerImporter(
    OrganisationGrains grains, BillingApplier billing, IBillingStore billingStore, IUsageStore usage,
    CatalogCache catalog, TimeProvider clock, ILogger<CustomerImporter> logger)
{
    public const string ActorKind = "import";

    /// <param name="runId">Names the run in the audit log (actor <c>import</c>, this id) and in request ids.</param>
    /// <param name="onRow">Receives every row's outcome, in file order (the report).</param>
    public async Task<ImportCounts> RunAsync(IAsyncEnumerable<ImportRow> rows, string runId, bool dryRun,
        Action<ImportRowResult> onRow, IProgress<ImportProgress>? progress = null, CancellationToken ct = default)
    {
        ImportLog.Started(logger, runId, dryRun);
        var run = new Run(runId, dryRun);
        var counts = ImportCounts.Zero;
        await foreach (var row in rows.WithCancellation(ct))
        {
            var result = await ImportRowAsync(run, row, ct);
            if (result.Reason is { } reason) ImportLog.RowRejected(logger, runId, row.Line, reason);
            counts = counts.Add(result.Outcome);
            onRow(result);
            progress?.Report(new ImportProgress(counts));
        }
        ImportLog.Finished(logger, runId, counts);
        return counts;
    }

    private async Task<ImportRowResult> ImportRowAsync(Run run, ImportRow raw, CancellationToken ct)
    {
        var (row, reason) = ImportRowValidator.Validate(raw, plan => catalog.Current.Plans.ContainsKey(plan));
        if (row is null) return new ImportRowResult(raw.Line, ImportOutcome.Rejected, reason);

        if (!run.Organisations.TryGetValue(row.OrganisationId, out var organisation))
        {
            organisation = new OrganisationState(row);
            run.Organisations[row.OrganisationId] = organisation;
            organisation.Outcome = await ImportOrganisationAsync(run, row, ct);
        }
        else if (Differences(organisation.First, row) is { } difference)
        {
            return new ImportRowResult(row.Line, ImportOutcome.Rejected,
                $"{difference} differs from line {organisation.First.Line} of the same organisation");
        }
        if (organisation.Outcome.Reason is { } orgReason)
            return new ImportRowResult(row.Line, ImportOutcome.Rejected, orgReason);

        // The organisation's outcome counts once, on its first row; later rows are about their member.
        var orgOutcome = organisation.Reported ? ImportOutcome.Unchanged : organisation.Outcome.Outcome;
        organisation.Reported = true;
        var memberResult = await ImportMemberAsync(run, row, organisation, ct);
        if (memberResult.Outcome == ImportOutcome.Rejected) return memberResult;
        return new ImportRowResult(row.Line, Combine(orgOutcome, memberResult.Outcome), null);
    }

    private async Task<ImportRowResult> ImportOrganisationAsync(Run run, ValidImportRow row, CancellationToken ct)
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

    private async Task<ImportRowResult> ImportMemberAsync(Run run, ValidImportRow row, OrganisationState organisation, CancellationToken ct)
    {
        organisation.Members ??= run.DryRun && organisation.Outcome.Outcome == ImportOutcome.Created
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

    private sealed class Run(string id, bool dryRun)
    {
        public bool DryRun { get; } = dryRun;
        public Dictionary<string, OrganisationState> Organisations { get; } = new(StringComparer.Ordinal);

        public ChangeContext Context(long line) => new(new AuditActor(ActorKind, id), $"{id}:line-{line}", null);
    }

    /// <summary>What this run knows of one organisation: its first row, what importing it did, its members.</summary>
    private sealed class OrganisationState(ValidImportRow first)
    {
        public ValidImportRow First { get; } = first;
        public ImportRowResult Outcome { get; set; } = null!;
        public bool Reported { get; set; }
        public Dictionary<string, string>? Members { get; set; }
    }
}

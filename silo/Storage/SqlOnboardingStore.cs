using System.Data.Common;
using Dapper;
using Taskee.Grains.Interfaces;
using Taskee.Grains.Sales;
using Taskee.Grains.Storage;

namespace Taskee.Silo.Storage;

public sealed class SqlOnboardingStore(SqlDialect dialect) : SqlStore(dialect), IOnboardingStore
{
    private const string OnboardingColumns = "org_id, quote_id, lead_id, plan_id, started_at, provisioned_at";

    private sealed class OnboardingRow
    {
        public string OrgId { get; set; } = "";
        public string QuoteId { get; set; } = "";
        public string LeadId { get; set; } = "";
        public string PlanId { get; set; } = "";
        public string StartedAt { get; set; } = "";
        public string? ProvisionedAt { get; set; }

        public OnboardingRecord ToRecord() => new(OrgId, QuoteId, LeadId, PlanId, Iso.Parse(StartedAt), Iso.ParseOrNull(ProvisionedAt));
    }

    private sealed class LeadLink
    {
        public string Status { get; set; } = "";
        public string? OrganisationId { get; set; }
    }

    private sealed class FactsRow
    {
        public string? SsoAt { get; set; }
        public string? SamlAt { get; set; }
        public string? ScimAt { get; set; }
        public string? AdminAt { get; set; }
        public string? LeadOwner { get; set; }
    }

    private sealed class StepRow
    {
        public string Step { get; set; } = "";
        public string DoneAt { get; set; } = "";
        public long Manual { get; set; }
    }

    /// <summary>Thrown inside the transaction to roll back a refused decision; never leaves this class.</summary>
    private sealed class Refused(QuoteDecisionStatus status) : Exception
    {
        public QuoteDecisionStatus Status { get; } = status;
    }

    public async Task<QuoteDecisionResult> WinAsync(string quoteId, string orgId, string planId, DateTimeOffset now, AuditRecord audit,
        ChangeContext context, CancellationToken ct = default)
    {
        try
        {
            return await InTransactionAsync(async (connection, transaction) =>
            {
                if (await ReadQuoteAsync(connection, transaction, quoteId) is not { } quote) throw new Refused(QuoteDecisionStatus.QuoteNotFound);
                // Locked, so a second quote of the same lead won at the same moment waits and then sees this link.
                var lead = await connection.QuerySingleOrDefaultAsync<LeadLink>(
                    $"SELECT status, organisation_id FROM leads WHERE id = @LeadId{Dialect.ForUpdate}", new { quote.LeadId }, transaction);
                if (lead?.OrganisationId is not null) throw new Refused(QuoteDecisionStatus.LeadWonElsewhere);
                if (lead?.Status == LeadStatuses.Lost) throw new Refused(QuoteDecisionStatus.LeadLost);
                var taken = await connection.ExecuteScalarAsync<long>(
                    "SELECT (SELECT COUNT(*) FROM organisations WHERE id = @orgId) + (SELECT COUNT(*) FROM onboardings WHERE org_id = @orgId)",
                    new { orgId }, transaction);
                if (taken > 0) throw new Refused(QuoteDecisionStatus.OrganisationTaken);

                if (!await DecideAsync(connection, transaction, quoteId, QuoteRecord.Won, orgId, now)) throw new Refused(QuoteDecisionStatus.AlreadyDecided);
                await connection.ExecuteAsync(
                    "UPDATE leads SET organisation_id = @orgId, version = version + 1, updated_at = @now WHERE id = @LeadId",
                    new { orgId, quote.LeadId, now = Iso.ToText(now) }, transaction);
                var onboarding = new OnboardingRecord(orgId, quoteId, quote.LeadId, planId, now, null);
                await connection.ExecuteAsync($"""
                    INSERT INTO onboardings ({OnboardingColumns}) VALUES (@OrgId, @QuoteId, @LeadId, @PlanId, @StartedAt, NULL)
                    """, new { OrgId = orgId, QuoteId = quoteId, quote.LeadId, PlanId = planId, StartedAt = Iso.ToText(now) }, transaction);
                await AuditAppender.AppendAsync(connection, transaction, Dialect, AuditEvent.PlatformChain, audit, context, now);
                return new QuoteDecisionResult(QuoteDecisionStatus.Done, await ReadQuoteAsync(connection, transaction, quoteId), onboarding);
            }, ct);
        }
        catch (Refused refused)
        {
            return await RefusedAsync(refused.Status, quoteId, ct);
        }
        catch (DbException ex) when (Dialect.IsUniqueViolation(ex))
        {
            // Another silo decided for this lead or took this organisation id in the same moment: nothing of ours was written.
            return await RefusedAsync(QuoteDecisionStatus.LeadWonElsewhere, quoteId, ct);
        }
    }

    /// <summary>A request that waited for another deciding this very quote sees its lead linked: that is "decided already".</summary>
    private async Task<QuoteDecisionResult> RefusedAsync(QuoteDecisionStatus status, string quoteId, CancellationToken ct)
    {
        var quote = await ReadQuoteAsync(quoteId, ct);
        return new QuoteDecisionResult(quote is not null && quote.Status != QuoteRecord.Open ? QuoteDecisionStatus.AlreadyDecided : status, quote);
    }

    public async Task<QuoteDecisionResult> LoseAsync(string quoteId, DateTimeOffset now, AuditRecord audit, ChangeContext context, CancellationToken ct = default)
    {
        try
        {
            return await InTransactionAsync(async (connection, transaction) =>
            {
                if (await ReadQuoteAsync(connection, transaction, quoteId) is null) throw new Refused(QuoteDecisionStatus.QuoteNotFound);
                if (!await DecideAsync(connection, transaction, quoteId, QuoteRecord.Lost, null, now)) throw new Refused(QuoteDecisionStatus.AlreadyDecided);
                await AuditAppender.AppendAsync(connection, transaction, Dialect, AuditEvent.PlatformChain, audit, context, now);
                return new QuoteDecisionResult(QuoteDecisionStatus.Done, await ReadQuoteAsync(connection, transaction, quoteId));
            }, ct);
        }
        catch (Refused refused)
        {
            return await RefusedAsync(refused.Status, quoteId, ct);
        }
    }

    /// <summary>The decision itself: only an open quote changes, so of two racing decisions exactly one writes.</summary>
    private static async Task<bool> DecideAsync(DbConnection connection, DbTransaction transaction, string quoteId, string status, string? orgId, DateTimeOffset now) =>
        await connection.ExecuteAsync(
            "UPDATE quotes SET status = @status, decided_at = @now, organisation_id = @orgId WHERE id = @quoteId AND status = @open",
            new { quoteId, status, orgId, now = Iso.ToText(now), open = QuoteRecord.Open }, transaction) == 1;

    private static async Task<QuoteRecord?> ReadQuoteAsync(DbConnection connection, DbTransaction transaction, string quoteId) =>
        (await connection.QuerySingleOrDefaultAsync<SqlQuoteStore.QuoteRow>(SqlQuoteStore.SelectQuote, new { quoteId }, transaction))?.ToRecord();

    private async Task<QuoteRecord?> ReadQuoteAsync(string quoteId, CancellationToken ct)
    {
        await using var connection = await OpenAsync(ct);
        return (await connection.QuerySingleOrDefaultAsync<SqlQuoteStore.QuoteRow>(new CommandDefinition(
            SqlQuoteStore.SelectQuote, new { quoteId }, cancellationToken: ct)))?.ToRecord();
    }

    public Task<OnboardingRecord?> GetAsync(string orgId, CancellationToken ct = default) =>
        FindAsync($"SELECT {OnboardingColumns} FROM onboardings WHERE org_id = @key", orgId, ct);

    public Task<OnboardingRecord?> FindByQuoteAsync(string quoteId, CancellationToken ct = default) =>
        FindAsync($"SELECT {OnboardingColumns} FROM onboardings WHERE quote_id = @key", quoteId, ct);

    private async Task<OnboardingRecord?> FindAsync(string sql, string key, CancellationToken ct)
    {
        await using var connection = await OpenAsync(ct);
        return (await connection.QuerySingleOrDefaultAsync<OnboardingRow>(new CommandDefinition(sql, new { key }, cancellationToken: ct)))?.ToRecord();
    }

    public async Task<IReadOnlyList<OnboardingRecord>> ListUnprovisionedAsync(DateTimeOffset startedBefore, int limit, CancellationToken ct = default)
    {
        await using var connection = await OpenAsync(ct);
        var rows = await connection.QueryAsync<OnboardingRow>(new CommandDefinition(
            $"SELECT {OnboardingColumns} FROM onboardings WHERE provisioned_at IS NULL AND started_at < @before ORDER BY started_at LIMIT @limit",
            new { before = Iso.ToText(startedBefore), limit }, cancellationToken: ct));
        return rows.Select(r => r.ToRecord()).ToList();
    }

    public Task<bool> MarkProvisionedAsync(string orgId, DateTimeOffset now, AuditRecord audit, ChangeContext context, CancellationToken ct = default) =>
        InTransactionAsync(async (connection, transaction) =>
        {
            if (await connection.ExecuteAsync("UPDATE onboardings SET provisioned_at = @now WHERE org_id = @orgId AND provisioned_at IS NULL",
                    new { orgId, now = Iso.ToText(now) }, transaction) == 0) return false;
            await AuditAppender.AppendAsync(connection, transaction, Dialect, orgId, audit, context, now);
            return true;
        }, ct);

    public async Task<OnboardingFacts> ReadFactsAsync(OnboardingRecord onboarding, CancellationToken ct = default)
    {
        await using var connection = await OpenAsync(ct);
        var row = await connection.QuerySingleAsync<FactsRow>(new CommandDefinition("""
            SELECT (SELECT updated_at FROM org_sso WHERE org_id = @OrgId) AS SsoAt,
                   (SELECT updated_at FROM org_saml WHERE org_id = @OrgId) AS SamlAt,
                   (SELECT MIN(last_used_at) FROM api_keys WHERE org_id = @OrgId AND scopes LIKE @scim AND last_used_at IS NOT NULL) AS ScimAt,
                   (SELECT MIN(added_at) FROM members WHERE org_id = @OrgId AND role IN ('owner', 'admin')) AS AdminAt,
                   (SELECT owner FROM leads WHERE id = @LeadId) AS LeadOwner
            """, new { onboarding.OrgId, onboarding.LeadId, scim = "%\"scim\"%" }, cancellationToken: ct));
        var sso = new[] { Iso.ParseOrNull(row.SsoAt), Iso.ParseOrNull(row.SamlAt) }.Where(t => t is not null).Min();
        return new OnboardingFacts(sso, Iso.ParseOrNull(row.ScimAt), Iso.ParseOrNull(row.AdminAt), row.LeadOwner);
    }

    public async Task<IReadOnlyList<OnboardingStepRecord>> ListStepsAsync(string orgId, CancellationToken ct = default)
    {
        await using var connection = await OpenAsync(ct);
        var rows = await connection.QueryAsync<StepRow>(new CommandDefinition(
            "SELECT step, done_at, manual FROM onboarding_steps WHERE org_id = @orgId", new { orgId }, cancellationToken: ct));
        return rows.Select(r => new OnboardingStepRecord(r.Step, Iso.Parse(r.DoneAt), r.Manual != 0)).ToList();
    }

    public Task<IReadOnlyList<OnboardingStepRecord>> RecordStepsAsync(string orgId, IReadOnlyList<OnboardingStepRecord> steps,
        Func<OnboardingStepRecord, AuditRecord> audit, DateTimeOffset now, ChangeContext context, CancellationToken ct = default) =>
        InTransactionAsync<IReadOnlyList<OnboardingStepRecord>>(async (connection, transaction) =>
        {
            var recorded = new List<OnboardingStepRecord>();
            foreach (var step in steps)
            {
                // Two readers seeing the same step at once: the first records it, the second changes nothing.
                var inserted = await connection.ExecuteAsync("""
                    INSERT INTO onboarding_steps (org_id, step, done_at, manual) VALUES (@orgId, @Step, @DoneAt, @Manual)
                    ON CONFLICT (org_id, step) DO NOTHING
                    """, new { orgId, step.Step, DoneAt = Iso.ToText(step.DoneAt), Manual = step.Manual ? 1L : 0L }, transaction);
                if (inserted == 0) continue;
                await AuditAppender.AppendAsync(connection, transaction, Dialect, orgId, audit(step), context, now);
                recorded.Add(step);
            }
            return recorded;
        }, ct);

    public Task<bool> ClearStepAsync(string orgId, string step, DateTimeOffset now, AuditRecord audit, ChangeContext context, CancellationToken ct = default) =>
        InTransactionAsync(async (connection, transaction) =>
        {
            if (await connection.ExecuteAsync("DELETE FROM onboarding_steps WHERE org_id = @orgId AND step = @step AND manual = 1",
                    new { orgId, step }, transaction) == 0) return false;
            await AuditAppender.AppendAsync(connection, transaction, Dialect, orgId, audit, context, now);
            return true;
        }, ct);
}

using System.Data.Common;
using System.Text.Json;
using Dapper;
using Taskee.Grains.Interfaces;
using Taskee.Grains.Sales;
using Taskee.Grains.Storage;

namespace Taskee.Silo.Storage;

public sealed class SqlLeadStore(SqlDialect dialect) : SqlStore(dialect), ILeadStore
{
    private const string Columns =
        "id, created_at, answers, contact_name, contact_email, contact_phone, language, consent_version, consent_text, consent_at, "
        + "qualified, score, reasons, status, owner, notes, version, updated_at, crm_id, crm_synced_at";

    // Set by the onboarding store when the lead's quote is won, never by an insert here.
    private const string ReadColumns = Columns + ", organisation_id";

    private sealed class LeadRow
    {
        public string Id { get; set; } = "";
        public string CreatedAt { get; set; } = "";
        public string Answers { get; set; } = "";
        public string ContactName { get; set; } = "";
        public string ContactEmail { get; set; } = "";
        public string? ContactPhone { get; set; }
        public string Language { get; set; } = "";
        public string ConsentVersion { get; set; } = "";
        public string ConsentText { get; set; } = "";
        public string ConsentAt { get; set; } = "";
        public long Qualified { get; set; }
        public long Score { get; set; }
        public string Reasons { get; set; } = "[]";
        public string Status { get; set; } = "";
        public string? Owner { get; set; }
        public string? Notes { get; set; }
        public long Version { get; set; }
        public string UpdatedAt { get; set; } = "";
        public string? CrmId { get; set; }
        public string? CrmSyncedAt { get; set; }
        public string? OrganisationId { get; set; }

        public LeadRecord ToRecord(IReadOnlyList<LeadStatusPeriod> history, IReadOnlyList<OutboxRow> pending)
        {
            var oldest = pending.OrderBy(p => p.Id, StringComparer.Ordinal).FirstOrDefault();
            var crm = new CrmSyncState(CrmId, Iso.ParseOrNull(CrmSyncedAt), pending.Count, (int)(oldest?.Attempts ?? 0), oldest?.LastError,
                oldest is null ? null : Iso.Parse(oldest.NextAttemptAt));
            return new LeadRecord(Id, Iso.Parse(CreatedAt), JsonSerializer.Deserialize<LeadAnswers>(Answers)!,
                new LeadContact(ContactName, ContactEmail, ContactPhone), Language, new LeadConsent(ConsentVersion, ConsentText, Iso.Parse(ConsentAt)),
                new QualificationResult(Qualified != 0, (int)Score, JsonSerializer.Deserialize<string[]>(Reasons) ?? []),
                Status, Owner, Notes, Version, Iso.Parse(UpdatedAt), history, crm) { OrganisationId = OrganisationId };
        }
    }

    private sealed class HistoryRow
    {
        public string LeadId { get; set; } = "";
        public string Status { get; set; } = "";
        public string EnteredAt { get; set; } = "";
        public string? LeftAt { get; set; }
    }

    private sealed class OutboxRow
    {
        public string Id { get; set; } = "";
        public string LeadId { get; set; } = "";
        public string Reason { get; set; } = "";
        public string CreatedAt { get; set; } = "";
        public long Attempts { get; set; }
        public string NextAttemptAt { get; set; } = "";
        public string? LastError { get; set; }

        public CrmOutboxItem ToItem() => new(Id, LeadId, Reason, (int)Attempts, Iso.Parse(CreatedAt));
    }

    public Task CreateAsync(LeadRecord lead, bool handToCrm, AuditRecord audit, ChangeContext context, CancellationToken ct = default) =>
        InTransactionAsync(async (connection, transaction) =>
        {
            const string insert = $"""
                INSERT INTO leads ({Columns})
                VALUES (@Id, @CreatedAt, @Answers, @ContactName, @ContactEmail, @ContactPhone, @Language, @ConsentVersion, @ConsentText, @ConsentAt,
                        @Qualified, @Score, @Reasons, @Status, NULL, NULL, @Version, @CreatedAt, NULL, NULL)
                """;
            await connection.ExecuteAsync(insert, new
            {
                lead.Id, CreatedAt = Iso.ToText(lead.CreatedAt), Answers = StoredJson.Write(lead.Answers),
                ContactName = lead.Contact.Name, ContactEmail = lead.Contact.Email, ContactPhone = lead.Contact.Phone, lead.Language,
                ConsentVersion = lead.Consent.Version, ConsentText = lead.Consent.Text, ConsentAt = Iso.ToText(lead.Consent.GivenAt),
                Qualified = lead.Qualification.Qualified ? 1L : 0L, Score = (long)lead.Qualification.Score,
                Reasons = StoredJson.Write(lead.Qualification.Reasons), lead.Status, lead.Version,
            }, transaction);
            await EnterStatusAsync(connection, transaction, lead.Id, 1, lead.Status, lead.CreatedAt);
            if (handToCrm) await QueueAsync(connection, transaction, lead.Id, "lead.created", lead.CreatedAt);
            await AuditAppender.AppendAsync(connection, transaction, Dialect, AuditEvent.PlatformChain, audit, context, lead.CreatedAt);
            return true;
        }, ct);

    public async Task<LeadRecord?> GetAsync(string leadId, CancellationToken ct = default)
    {
        await using var connection = await OpenAsync(ct);
        var row = await connection.QuerySingleOrDefaultAsync<LeadRow>(new CommandDefinition(
            $"SELECT {ReadColumns} FROM leads WHERE id = @leadId", new { leadId }, cancellationToken: ct));
        return row is null ? null : (await CompleteRecordsAsync(connection, [row], "SELECT id FROM leads WHERE id = @leadId", new { leadId }, ct))[0];
    }

    public async Task<IReadOnlyList<LeadRecord>> ListAsync(string? status, string? before, int limit, CancellationToken ct = default)
    {
        var conditions = new List<string>();
        if (status is not null) conditions.Add("status = @status");
        if (before is not null) conditions.Add("id < @before");
        var where = conditions.Count == 0 ? "" : "WHERE " + string.Join(" AND ", conditions);
        var page = $"SELECT id FROM leads {where} ORDER BY id DESC LIMIT @limit";
        var parameters = new { status, before, limit };
        await using var connection = await OpenAsync(ct);
        var rows = (await connection.QueryAsync<LeadRow>(new CommandDefinition(
            $"SELECT {ReadColumns} FROM leads {where} ORDER BY id DESC LIMIT @limit", parameters, cancellationToken: ct))).ToList();
        return rows.Count == 0 ? [] : await CompleteRecordsAsync(connection, rows, page, parameters, ct);
    }

    /// <summary>
    /// Adds each lead's stages and pending hand-offs, two queries for the whole page: <paramref name="page"/> selects the
    /// page's lead ids again (one SQL text for both dialects, where a list parameter is not).
    /// </summary>
    private static async Task<IReadOnlyList<LeadRecord>> CompleteRecordsAsync(DbConnection connection, List<LeadRow> rows, string page, object parameters,
        CancellationToken ct)
    {
        var history = (await connection.QueryAsync<HistoryRow>(new CommandDefinition(
                $"SELECT lead_id, status, entered_at, left_at FROM lead_status_history WHERE lead_id IN ({page}) ORDER BY lead_id, seq",
                parameters, cancellationToken: ct)))
            .ToLookup(h => h.LeadId, h => new LeadStatusPeriod(h.Status, Iso.Parse(h.EnteredAt), Iso.ParseOrNull(h.LeftAt)));
        var pending = (await connection.QueryAsync<OutboxRow>(new CommandDefinition(
                $"SELECT id, lead_id, reason, created_at, attempts, next_attempt_at, last_error FROM crm_outbox WHERE lead_id IN ({page}) AND delivered_at IS NULL",
                parameters, cancellationToken: ct)))
            .ToLookup(o => o.LeadId);
        return rows.Select(r => r.ToRecord(history[r.Id].ToList(), pending[r.Id].ToList())).ToList();
    }

    public Task<bool> UpdateAsync(string leadId, long baseVersion, LeadUpdate update, AuditRecord audit, ChangeContext context, CancellationToken ct = default) =>
        InTransactionAsync(async (connection, transaction) =>
        {
            // The version condition is part of the write: a change made meanwhile matches no row, and nothing is written.
            const string change = """
                UPDATE leads SET status = @Status, owner = @Owner, notes = @Notes, version = version + 1, updated_at = @At
                WHERE id = @leadId AND version = @baseVersion
                """;
            var at = Iso.ToText(update.At);
            if (await connection.ExecuteAsync(change, new { update.Status, update.Owner, update.Notes, At = at, leadId, baseVersion }, transaction) == 0)
                return false;
            if (update.StatusChanged)
            {
                await connection.ExecuteAsync("UPDATE lead_status_history SET left_at = @at WHERE lead_id = @leadId AND left_at IS NULL",
                    new { at, leadId }, transaction);
                var seq = await connection.ExecuteScalarAsync<long>("SELECT COALESCE(MAX(seq), 0) + 1 FROM lead_status_history WHERE lead_id = @leadId",
                    new { leadId }, transaction);
                await EnterStatusAsync(connection, transaction, leadId, seq, update.Status, update.At);
                await QueueAsync(connection, transaction, leadId, $"lead.status.{update.Status}", update.At);
            }
            await AuditAppender.AppendAsync(connection, transaction, Dialect, AuditEvent.PlatformChain, audit, context, update.At);
            return true;
        }, ct);

    private static Task EnterStatusAsync(DbConnection connection, DbTransaction transaction, string leadId, long seq, string status, DateTimeOffset at) =>
        connection.ExecuteAsync(
            "INSERT INTO lead_status_history (lead_id, seq, status, entered_at, left_at) VALUES (@leadId, @seq, @status, @at, NULL)",
            new { leadId, seq, status, at = Iso.ToText(at) }, transaction);

    private static Task QueueAsync(DbConnection connection, DbTransaction transaction, string leadId, string reason, DateTimeOffset at) =>
        connection.ExecuteAsync("""
            INSERT INTO crm_outbox (id, lead_id, reason, created_at, attempts, next_attempt_at, locked_by, locked_until, delivered_at, last_error)
            VALUES (@id, @leadId, @reason, @at, 0, @at, NULL, NULL, NULL, NULL)
            """, new { id = "crm_" + Taskee.Grains.Audit.Ulid.NewUlid(at), leadId, reason, at = Iso.ToText(at) }, transaction);

    public async Task<IReadOnlyList<CrmOutboxItem>> ClaimDueAsync(string holder, DateTimeOffset now, TimeSpan lease, int limit, CancellationToken ct = default)
    {
        // A lead's later hand-off waits until every earlier one is delivered. The outer conditions repeat the inner ones:
        // on PostgreSQL a row another node claimed meanwhile is re-checked after its lock is released and skipped.
        const string claim = """
            UPDATE crm_outbox SET locked_by = @holder, locked_until = @until, attempts = attempts + 1
            WHERE id IN (
                SELECT o.id FROM crm_outbox o
                WHERE o.delivered_at IS NULL AND o.next_attempt_at <= @now AND (o.locked_until IS NULL OR o.locked_until <= @now)
                  AND NOT EXISTS (SELECT 1 FROM crm_outbox e WHERE e.lead_id = o.lead_id AND e.delivered_at IS NULL AND e.id < o.id)
                ORDER BY o.id
                LIMIT @limit)
              AND delivered_at IS NULL AND (locked_until IS NULL OR locked_until <= @now)
            RETURNING id, lead_id, reason, created_at, attempts, next_attempt_at, last_error
            """;
        await using var connection = await OpenAsync(ct);
        var rows = await connection.QueryAsync<OutboxRow>(new CommandDefinition(claim,
            new { holder, until = Iso.ToText(now + lease), now = Iso.ToText(now), limit }, cancellationToken: ct));
        return rows.Select(r => r.ToItem()).OrderBy(i => i.Id, StringComparer.Ordinal).ToList();
    }

    public Task CompleteAsync(CrmOutboxItem item, string? crmId, string provider, DateTimeOffset now, CancellationToken ct = default) =>
        InTransactionAsync(async (connection, transaction) =>
        {
            await connection.ExecuteAsync(
                "UPDATE crm_outbox SET delivered_at = @now, locked_by = NULL, locked_until = NULL, last_error = NULL WHERE id = @id",
                new { now = Iso.ToText(now), id = item.Id }, transaction);
            var previous = await connection.QuerySingleOrDefaultAsync<string>(
                $"SELECT crm_id FROM leads WHERE id = @leadId{Dialect.ForUpdate}", new { leadId = item.LeadId }, transaction);
            var kept = crmId ?? previous;
            await connection.ExecuteAsync("UPDATE leads SET crm_id = @kept, crm_synced_at = @now WHERE id = @leadId",
                new { kept, now = Iso.ToText(now), leadId = item.LeadId }, transaction);
            if (kept is not null && kept != previous)
            {
                var audit = new AuditRecord("lead.crm.linked", $"leads/{item.LeadId}",
                    previous is null ? null : StoredJson.Write(new { crmId = previous }), StoredJson.Write(new { crmId = kept, provider }));
                await AuditAppender.AppendAsync(connection, transaction, Dialect, AuditEvent.PlatformChain, audit,
                    new ChangeContext(AuditActor.System, null, null), now);
            }
            return true;
        }, ct);

    public async Task RetryAsync(string itemId, DateTimeOffset nextAttemptAt, string error, CancellationToken ct = default)
    {
        await using var connection = await OpenAsync(ct);
        await connection.ExecuteAsync(new CommandDefinition("""
            UPDATE crm_outbox SET next_attempt_at = @next, last_error = @error, locked_by = NULL, locked_until = NULL
            WHERE id = @itemId AND delivered_at IS NULL
            """, new { itemId, next = Iso.ToText(nextAttemptAt), error }, cancellationToken: ct));
    }
}

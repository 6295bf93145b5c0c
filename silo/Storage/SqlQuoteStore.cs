using System.Data.Common;
using System.Globalization;
using System.Text.Json;
using Dapper;
using Taskee.Grains.Interfaces;
using Taskee.Grains.Sales;
using Taskee.Grains.Storage;

namespace Taskee.Silo.Storage;

public sealed class SqlQuoteStore(SqlDialect dialect) : SqlStore(dialect), IQuoteStore
{
    /// <summary>What a read of a quote selects (the onboarding store reads quotes the same way).</summary>
    internal const string SelectQuote = $"SELECT {QuoteColumns} FROM quotes WHERE id = @quoteId";

    private const string QuoteColumns = "id, number, version, lead_id, input, result, valid_until, created_at, status, decided_at, organisation_id";

    internal sealed class QuoteRow
    {
        public string Id { get; set; } = "";
        public string Number { get; set; } = "";
        public long Version { get; set; }
        public string LeadId { get; set; } = "";
        public string Input { get; set; } = "";
        public string Result { get; set; } = "";
        public string ValidUntil { get; set; } = "";
        public string CreatedAt { get; set; } = "";
        public string Status { get; set; } = QuoteRecord.Open;
        public string? DecidedAt { get; set; }
        public string? OrganisationId { get; set; }

        public QuoteRecord ToRecord() => new(Id, Number, Version, LeadId, JsonSerializer.Deserialize<QuoteInput>(Input)!,
            JsonSerializer.Deserialize<QuoteResult>(Result)!, Iso.Parse(ValidUntil), Iso.Parse(CreatedAt))
        {
            Status = Status, DecidedAt = Iso.ParseOrNull(DecidedAt), OrganisationId = OrganisationId,
        };
    }

    private sealed class LatestRow
    {
        public string Number { get; set; } = "";
        public long Version { get; set; }
    }

    public async Task<QuoteRecord?> CreateAsync(QuoteRecord quote, Func<QuoteRecord, AuditRecord> audit, ChangeContext context, CancellationToken ct = default)
    {
        try
        {
            return await InsertAsync(quote, audit, context, ct);
        }
        catch (DbException ex) when (Dialect.IsUniqueViolation(ex))
        {
            return null; // the same number and version were taken at the same moment; nothing of this quote was written
        }
    }

    private Task<QuoteRecord> InsertAsync(QuoteRecord quote, Func<QuoteRecord, AuditRecord> audit, ChangeContext context, CancellationToken ct) =>
        InTransactionAsync(async (connection, transaction) =>
        {
            var latest = await connection.QuerySingleOrDefaultAsync<LatestRow>(
                "SELECT number, version FROM quotes WHERE lead_id = @LeadId ORDER BY version DESC LIMIT 1", new { quote.LeadId }, transaction);
            var year = quote.CreatedAt.UtcDateTime.Year.ToString(CultureInfo.InvariantCulture);
            var numbered = latest is not null
                ? quote with { Number = latest.Number, Version = latest.Version + 1 }
                : quote with { Number = await NextNumberAsync(connection, transaction, year), Version = 1 };
            await connection.ExecuteAsync("""
                INSERT INTO quotes (id, number, version, lead_id, input, result, price_book_version, valid_until, created_at)
                VALUES (@Id, @Number, @Version, @LeadId, @Input, @Result, @PriceBookVersion, @ValidUntil, @CreatedAt)
                """, new
            {
                numbered.Id, numbered.Number, numbered.Version, numbered.LeadId, Input = StoredJson.Write(numbered.Input),
                Result = StoredJson.Write(numbered.Result), numbered.Result.PriceBookVersion,
                ValidUntil = Iso.ToText(numbered.ValidUntil), CreatedAt = Iso.ToText(numbered.CreatedAt),
            }, transaction);
            await AuditAppender.AppendAsync(connection, transaction, Dialect, AuditEvent.PlatformChain, audit(numbered), context, numbered.CreatedAt);
            return numbered;
        }, ct);

    /// <summary>Q-2026-0001, Q-2026-0002, ...: one more than the quote numbers of the year so far (the unique key catches a race).</summary>
    private static async Task<string> NextNumberAsync(DbConnection connection, DbTransaction transaction, string year)
    {
        var prefix = $"Q-{year}-";
        var count = await connection.ExecuteScalarAsync<long>(
            "SELECT COUNT(DISTINCT number) FROM quotes WHERE number LIKE @pattern", new { pattern = prefix + "%" }, transaction);
        return $"{prefix}{count + 1:0000}";
    }

    public async Task<IReadOnlyList<QuoteRecord>> ListAsync(string? leadId, string? status, string? before, int limit, CancellationToken ct = default)
    {
        var conditions = new List<string>();
        if (leadId is not null) conditions.Add("lead_id = @leadId");
        if (status is not null) conditions.Add("status = @status");
        if (before is not null) conditions.Add("id < @before");
        var where = conditions.Count == 0 ? "" : "WHERE " + string.Join(" AND ", conditions);
        await using var connection = await OpenAsync(ct);
        var rows = await connection.QueryAsync<QuoteRow>(new CommandDefinition(
            $"SELECT {QuoteColumns} FROM quotes {where} ORDER BY id DESC LIMIT @limit",
            new { leadId, status, before, limit }, cancellationToken: ct));
        return rows.Select(r => r.ToRecord()).ToList();
    }

    public async Task<QuoteRecord?> GetAsync(string quoteId, CancellationToken ct = default)
    {
        await using var connection = await OpenAsync(ct);
        var row = await connection.QuerySingleOrDefaultAsync<QuoteRow>(new CommandDefinition(
            SelectQuote, new { quoteId }, cancellationToken: ct));
        return row?.ToRecord();
    }
}

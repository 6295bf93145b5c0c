using System.Text.Json;
using Dapper;
using Taskee.Grains.Interfaces;
using Taskee.Grains.Sales;
using Taskee.Grains.Storage;

namespace Taskee.Silo.Storage;

public sealed class SqlPriceBookStore(SqlDialect dialect, TimeProvider clock) : SqlStore(dialect), IPriceBookStore
{
    private sealed class PriceBookRow
    {
        public long Version { get; set; }
        public string Book { get; set; } = "";
        public string CreatedAt { get; set; } = "";

        public StoredPriceBook ToStored() => new(Version, JsonSerializer.Deserialize<PriceBook>(Book)!, Iso.Parse(CreatedAt));
    }

    public async Task<StoredPriceBook> GetCurrentAsync(CancellationToken ct = default)
    {
        await using var connection = await OpenAsync(ct);
        var row = await connection.QuerySingleAsync<PriceBookRow>(new CommandDefinition(
            "SELECT version, book, created_at FROM price_books ORDER BY version DESC LIMIT 1", cancellationToken: ct));
        return row.ToStored();
    }

    public async Task<StoredPriceBook?> AddAsync(PriceBook book, AuditRecord audit, ChangeContext context, CancellationToken ct = default)
    {
        try
        {
            return await AddVersionAsync(book, audit, context, ct);
        }
        catch (System.Data.Common.DbException ex) when (Dialect.IsUniqueViolation(ex))
        {
            return null; // another admin stored the same next version first; nothing of this one was written
        }
    }

    private Task<StoredPriceBook> AddVersionAsync(PriceBook book, AuditRecord audit, ChangeContext context, CancellationToken ct) =>
        InTransactionAsync(async (connection, transaction) =>
        {
            var version = await connection.ExecuteScalarAsync<long>("SELECT COALESCE(MAX(version), 0) + 1 FROM price_books", transaction: transaction);
            var now = clock.GetUtcNow();
            await connection.ExecuteAsync("INSERT INTO price_books (version, book, created_at) VALUES (@version, @book, @at)",
                new { version, book = StoredJson.Write(book), at = Iso.ToText(now) }, transaction);
            await AuditAppender.AppendAsync(connection, transaction, Dialect, AuditEvent.PlatformChain,
                audit with { Target = $"price-book/{version}" }, context, now);
            return new StoredPriceBook(version, book, Iso.Parse(Iso.ToText(now)));
        }, ct);
}

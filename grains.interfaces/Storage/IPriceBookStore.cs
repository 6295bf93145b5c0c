using Taskee.Grains.Interfaces;
using Taskee.Grains.Sales;

namespace Taskee.Grains.Storage;

public sealed record StoredPriceBook(long Version, PriceBook Book, DateTimeOffset CreatedAt);

/// <summary>The price book by version; the newest is the current one. Versions are never changed, so a quote's stays readable.</summary>
public interface IPriceBookStore
{
    Task<StoredPriceBook> GetCurrentAsync(CancellationToken ct = default);

    /// <summary>Stores the book as the next version, with its audit event (platform chain); null when another one took that version meanwhile.</summary>
    Task<StoredPriceBook?> AddAsync(PriceBook book, AuditRecord audit, ChangeContext context, CancellationToken ct = default);
}

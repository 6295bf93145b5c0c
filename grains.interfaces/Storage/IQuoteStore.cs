using Taskee.Grains.Interfaces;
using Taskee.Grains.Sales;

namespace Taskee.Grains.Storage;

/// <summary>A saved quote: its number and version, for which lead, what was asked, what it costs and until when.</summary>
public sealed record QuoteRecord(
    string Id,
    string Number,
    long Version,
    string LeadId,
    QuoteInput Input,
    QuoteResult Result,
    DateTimeOffset ValidUntil,
    DateTimeOffset CreatedAt)
{
    public const string Open = "open";
    public const string Won = "won";
    public const string Lost = "lost";

    /// <summary><see cref="Open"/> until sales marks it <see cref="Won"/> or <see cref="Lost"/>, which is final.</summary>
    public string Status { get; init; } = Open;

    public DateTimeOffset? DecidedAt { get; init; }

    /// <summary>The organisation a won quote created.</summary>
    public string? OrganisationId { get; init; }

    /// <summary>What the quote's entity tag names: 1 while open, 2 once decided (nothing else about a quote changes).</summary>
    public long Revision => Status == Open ? 1 : 2;
}

/// <summary>Saved quotes. A lead's first quote gets the next number; each later one is the next version of that number.</summary>
public interface IQuoteStore
{
    /// <summary>
    /// Numbers and stores the quote (its <c>Number</c> and <c>Version</c> are assigned here) with its audit event (platform
    /// chain); null when another quote of the lead took the same number and version at the same moment (nothing written).
    /// </summary>
    Task<QuoteRecord?> CreateAsync(QuoteRecord quote, Func<QuoteRecord, AuditRecord> audit, ChangeContext context, CancellationToken ct = default);

    Task<QuoteRecord?> GetAsync(string quoteId, CancellationToken ct = default);

    /// <summary>Quotes newest first, of one lead and in one status when given; <paramref name="before"/> is the last id of the previous page.</summary>
    Task<IReadOnlyList<QuoteRecord>> ListAsync(string? leadId, string? status, string? before, int limit, CancellationToken ct = default);
}

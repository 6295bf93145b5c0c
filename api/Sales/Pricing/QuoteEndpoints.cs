using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Taskee.Api.Auth;
using Taskee.Api.Infrastructure;
using Taskee.Grains.Audit;
using Taskee.Grains.Sales;
using Taskee.Grains.Storage;

namespace Taskee.Api.Sales.Pricing;

/// <summary><c>POST /v1/quotes</c>: the calculator's request for a lead, plus how many days the offer stands (30 when absent).</summary>
public sealed record CreateQuoteRequest(string? LeadId, string? Plan, int? Seats, long? AiCalls, long? StorageGb, List<string>? AddOns, string? SlaTier,
    int? TermYears, int? ValidDays)
{
    public const int MaxValidDays = 180;

    public CalculateQuoteRequest Calculation => new(Plan, Seats, AiCalls, StorageGb, AddOns, SlaTier, TermYears);
}

/// <param name="Status"><c>open</c>, <c>won</c> or <c>lost</c> (<c>PATCH /v1/quotes/{quoteId}</c>).</param>
/// <param name="OrganisationId">The organisation a won quote created.</param>
public sealed record QuoteResponse(string Id, string Number, long Version, string LeadId, DateTimeOffset CreatedAt, DateTimeOffset ValidUntil,
    long PriceBookVersion, string Currency, IReadOnlyList<QuoteLine> Lines, long SubtotalCents, long DiscountCents, long VatCents, long TotalCents,
    string Status, DateTimeOffset? DecidedAt, string? OrganisationId)
{
    public static QuoteResponse From(QuoteRecord q) => new(q.Id, q.Number, q.Version, q.LeadId, q.CreatedAt, q.ValidUntil, q.Result.PriceBookVersion,
        q.Result.Currency, q.Result.Lines, q.Result.SubtotalCents, q.Result.DiscountCents, q.Result.VatCents, q.Result.TotalCents,
        q.Status, q.DecidedAt, q.OrganisationId);
}

/// <summary>A page of quotes, newest first; <c>next</c> is the <c>before</c> of the following page.</summary>
public sealed record QuoteList(IReadOnlyList<QuoteResponse> Items, string? Next);

/// <summary>Saved quotes for leads (platform roles): numbered, a new version per new quote of the lead, with the exact price book version used.</summary>
public static class QuoteEndpoints
{
    public const int DefaultValidDays = 30;

    public static void MapQuoteEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/v1/quotes").WithTags("Pricing");
        group.MapPost("/", CreateAsync).RequireAuthorization(Permissions.LeadsWrite).ProducesValidationProblem()
            .WithMetadata(new IdempotentMutationAttribute()).WithName("CreateQuote");
        group.MapGet("/{quoteId}", GetAsync).RequireAuthorization(Permissions.LeadsRead).WithName("GetQuote");
        group.MapGet("/", ListAsync).RequireAuthorization(Permissions.LeadsRead).WithName("ListQuotes");
    }

    public const int MaxPageSize = 200;

    /// <param name="leadId">Only this lead's quotes.</param>
    /// <param name="status"><c>open</c>, <c>won</c> or <c>lost</c>.</param>
    /// <param name="before">The <c>next</c> of the previous page.</param>
    public static async Task<Results<Ok<QuoteList>, ValidationProblem>> ListAsync(
        IQuoteStore quotes, CancellationToken ct, string? leadId = null, string? status = null, string? before = null, int limit = 50)
    {
        if (status is not (null or QuoteRecord.Open or QuoteRecord.Won or QuoteRecord.Lost))
            return Problems.Validation("status", $"Unknown status '{status}'; use open, won or lost.");
        if (limit is < 1 or > MaxPageSize) return Problems.Validation("limit", $"limit must be between 1 and {MaxPageSize}.");
        var page = await quotes.ListAsync(leadId, status, before, limit, ct);
        return TypedResults.Ok(new QuoteList(page.Select(QuoteResponse.From).ToList(), page.Count == limit ? page[^1].Id : null));
    }

    public static async Task<Results<Created<QuoteResponse>, ValidationProblem, ProblemHttpResult>> CreateAsync(
        CreateQuoteRequest request, ILeadStore leads, IPriceBookStore books, IQuoteStore quotes, TimeProvider clock, HttpContext http, CancellationToken ct)
    {
        var current = await books.GetCurrentAsync(ct);
        var errors = new ValidationErrors();
        if (string.IsNullOrWhiteSpace(request.LeadId)) errors.Add("leadId", "leadId is required: the lead this quote is for.");
        request.Calculation.Validate(current.Book, errors);
        if (request.ValidDays is not (null or (>= 1 and <= CreateQuoteRequest.MaxValidDays)))
            errors.Add("validDays", $"validDays is 1 to {CreateQuoteRequest.MaxValidDays} (default {DefaultValidDays}).");
        if (errors.Any) return TypedResults.ValidationProblem(errors.ToDictionary());
        if (await leads.GetAsync(request.LeadId!, ct) is null) return Problems.NotFound($"Lead '{request.LeadId}' was not found.");

        // Stored to the millisecond: the answer now and every later read show the same times.
        var clockNow = clock.GetUtcNow();
        var now = new DateTimeOffset(clockNow.UtcTicks - clockNow.UtcTicks % TimeSpan.TicksPerMillisecond, TimeSpan.Zero);
        var input = request.Calculation.ToInput(current.Book);
        var draft = new QuoteRecord("quote_" + Ulid.NewUlid(now), Number: "", Version: 0, request.LeadId!, input,
            QuoteCalculator.Calculate(current.Book, current.Version, input), now.AddDays(request.ValidDays ?? DefaultValidDays), now);
        var saved = await quotes.CreateAsync(draft, Audit, http.ChangeContext(), ct);
        if (saved is null) return Problems.Conflict("Another quote took this number at the same moment; send the request again.");
        return TypedResults.Created($"/v1/quotes/{saved.Id}", QuoteResponse.From(saved));
    }

    public static async Task<Results<Ok<QuoteResponse>, ProblemHttpResult>> GetAsync(string quoteId, IQuoteStore quotes, HttpContext http, CancellationToken ct)
    {
        if (await quotes.GetAsync(quoteId, ct) is not { } quote) return Problems.NotFound($"Quote '{quoteId}' was not found.");
        ETags.Set(http, ETags.Format(quote.Revision)); // the If-Match of PATCH /v1/quotes/{quoteId}
        return TypedResults.Ok(QuoteResponse.From(quote));
    }

    private static AuditRecord Audit(QuoteRecord q) => new("quote.created", $"quotes/{q.Id}", null, JsonSerializer.Serialize(new
    {
        id = q.Id, number = q.Number, version = q.Version, leadId = q.LeadId, priceBookVersion = q.Result.PriceBookVersion,
        totalCents = q.Result.TotalCents, validUntil = q.ValidUntil,
    }, AuditJsonOptions.Options));
}

using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Taskee.Api.Auth;
using Taskee.Api.Infrastructure;
using Taskee.Grains.Sales;
using Taskee.Grains.Storage;

namespace Taskee.Api.Sales.Pricing;

/// <summary>
/// The price book (read by anyone: it is what the public calculator shows; changed by platform admins, each change a new
/// version, audited) and the public calculator <c>POST /v1/quotes/calculate</c> that the /enterprise/pricing page uses.
/// </summary>
public static class PricingEndpoints
{
    public static void MapPricingEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/v1/price-book", GetAsync).AllowAnonymous().WithTags("Pricing").WithName("GetPriceBook");
        app.MapPut("/v1/price-book", PutAsync).RequireAuthorization(Permissions.PlansWrite).Validates<PriceBookRequest>()
            .WithMetadata(new IdempotentMutationAttribute()).WithTags("Pricing").WithName("PutPriceBook");
        app.MapPost("/v1/quotes/calculate", CalculateAsync).AllowAnonymous().RequireRateLimiting(QuoteCalculatorRateLimit.Name)
            .ProducesValidationProblem().WithTags("Pricing").WithName("CalculateQuote")
            .WithSummary("Prices a quote from the current price book, for the whole term, in integer cents; VAT separately.");
    }

    public static async Task<Ok<PriceBookResponse>> GetAsync(IPriceBookStore books, CancellationToken ct)
    {
        var current = await books.GetCurrentAsync(ct);
        return TypedResults.Ok(new PriceBookResponse(current.Version, current.CreatedAt, current.Book));
    }

    public static async Task<Results<Ok<PriceBookResponse>, ValidationProblem, ProblemHttpResult>> PutAsync(
        PriceBookRequest request, IPriceBookStore books, HttpContext http, CancellationToken ct)
    {
        var book = request.ToPriceBook();
        var audit = new AuditRecord("pricebook.versioned", "price-book", null, JsonSerializer.Serialize(book, AuditJsonOptions.Options));
        if (await books.AddAsync(book, audit, http.ChangeContext(), ct) is not { } stored)
            return Problems.Conflict("Another price book version was stored at the same moment; read it (GET /v1/price-book) and send yours again.");
        return TypedResults.Ok(new PriceBookResponse(stored.Version, stored.CreatedAt, stored.Book));
    }

    public static async Task<Results<Ok<QuoteResult>, ValidationProblem>> CalculateAsync(
        CalculateQuoteRequest? request, IPriceBookStore books, CancellationToken ct)
    {
        var current = await books.GetCurrentAsync(ct);
        var errors = new ValidationErrors();
        if (request is null) errors.Add("body", "A JSON body is required.");
        else request.Validate(current.Book, errors);
        if (errors.Any) return TypedResults.ValidationProblem(errors.ToDictionary());
        return TypedResults.Ok(QuoteCalculator.Calculate(current.Book, current.Version, request!.ToInput(current.Book)));
    }
}

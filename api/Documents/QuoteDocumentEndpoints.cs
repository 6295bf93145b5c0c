using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;
using Taskee.Api.Auth;
using Taskee.Api.Billing.Stripe;
using Taskee.Api.Infrastructure;
using Taskee.Api.Ops;
using Taskee.Api.Sales.Crm;
using Taskee.Grains.Storage;

namespace Taskee.Api.Documents;

/// <summary>
/// <c>GET /v1/quotes/{quoteId}/documents/{name}</c> (platform roles): the order form, SLA schedule or DPA of a saved
/// quote for its lead, as HTML or PDF. The format is <c>?format=html|pdf</c> when given, otherwise the <c>Accept</c>
/// header's choice (HTML when it accepts anything).
/// </summary>
public static class QuoteDocumentEndpoints
{
    public const string Html = "text/html";
    public const string Pdf = "application/pdf";

    public static void MapQuoteDocumentEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/v1/quotes/{quoteId}/documents/{name}", GetAsync).WithTags("Pricing").RequireAuthorization(Permissions.LeadsRead)
            .WithName("GetQuoteDocument")
            .Produces<string>(StatusCodes.Status200OK, Html, Pdf)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status406NotAcceptable)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
    }

    public static async Task<IResult> GetAsync(string quoteId, string name, HttpContext http, IQuoteStore quotes, ILeadStore leads, IPriceBookStore books,
        ChromiumPdf chromium, IOptions<CrmOptions> crm, IOptions<StripeOptions> stripe, IOptions<OpsOptions> ops, TimeProvider clock,
        ILogger<ChromiumPdf> logger, CancellationToken ct, string? lang = null, string? format = null)
    {
        var language = lang ?? DocumentCatalog.DefaultLanguage;
        var errors = new ValidationErrors();
        if (!DocumentCatalog.Languages.Contains(language)) errors.Add("lang", $"lang is one of {string.Join(", ", DocumentCatalog.Languages)} (default nl).");
        if (format is not (null or "html" or "pdf")) errors.Add("format", "format is html or pdf; without it the Accept header chooses (text/html or application/pdf).");
        if (errors.Any) return TypedResults.ValidationProblem(errors.ToDictionary());
        var mediaType = format switch { "html" => Html, "pdf" => Pdf, _ => Negotiate(http.Request) };
        if (mediaType is null)
            return TypedResults.Problem(statusCode: StatusCodes.Status406NotAcceptable, title: "Not Acceptable",
                detail: "A document is served as text/html or application/pdf: send one of them in Accept, or format=html|pdf.");
        if (!DocumentCatalog.QuoteDocuments.Contains(name))
            return TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not Found",
                detail: $"There is no document '{name}' for a quote; use {string.Join(", ", DocumentCatalog.QuoteDocuments)}.",
                extensions: new Dictionary<string, object?> { ["validNames"] = DocumentCatalog.QuoteDocuments });

        if (await quotes.GetAsync(quoteId, ct) is not { } quote || await leads.GetAsync(quote.LeadId, ct) is not { } lead)
            return Problems.NotFound($"Quote '{quoteId}' was not found.");

        var facts = new ServiceFacts(await books.GetCurrentAsync(ct), crm.Value, stripe.Value.HasApiKey, ops.Value, clock.GetUtcNow());
        var values = facts.ToValues(QuoteDocumentValues.Contract(quote, lead), language).With(QuoteDocumentValues.Build(quote, language));
        RenderedDocument document;
        try
        {
            document = DocumentRenderer.Render(name, language, values);
        }
        catch (DocumentTemplateException ex)
        {
            // A template the tests did not catch: our fault, said plainly rather than served half-filled.
            DocumentsLog.TemplateFailed(logger, $"{name}.{language}", ex.Message);
            return TypedResults.Problem(statusCode: StatusCodes.Status500InternalServerError, title: "Template error", detail: ex.Message);
        }

        http.Response.Headers.Vary = "Accept";
        var subject = $"quote {quote.Id}";
        if (mediaType == Html)
        {
            DocumentsLog.Rendered(logger, name, language, "html", subject);
            return TypedResults.Content(document.Html, "text/html; charset=utf-8");
        }
        try
        {
            var pdf = await chromium.PrintAsync(document.Html, ct);
            DocumentsLog.Rendered(logger, name, language, "pdf", subject);
            http.Response.Headers.ContentDisposition = $"inline; filename=\"{quote.Number}-v{quote.Version}-{name}.{language}.pdf\"";
            return TypedResults.Bytes(pdf, Pdf);
        }
        catch (Exception ex) when (ex is ChromiumMissingException or PdfRenderException)
        {
            return Problems.ServiceUnavailable(ex.Message);
        }
    }

    /// <summary>The type to answer with by the Accept header: HTML when absent or when anything goes; null when neither is accepted.</summary>
    public static string? Negotiate(HttpRequest request)
    {
        var accepted = request.GetTypedHeaders().Accept;
        if (accepted.Count == 0) return Html;
        foreach (var type in accepted.Where(a => (a.Quality ?? 1) > 0).OrderByDescending(a => a.Quality ?? 1))
        {
            if (type.MediaType.Equals(Pdf, StringComparison.OrdinalIgnoreCase)) return Pdf;
            if (type.MediaType.Equals(Html, StringComparison.OrdinalIgnoreCase) || type.MediaType.Equals("text/*", StringComparison.OrdinalIgnoreCase)
                || type.MediaType.Equals("*/*", StringComparison.OrdinalIgnoreCase)) return Html;
        }
        return null;
    }
}

using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;
using Taskee.Api.Auth;
using Taskee.Api.Infrastructure;
using Taskee.Api.Sales.Pricing;
using Taskee.Grains.Interfaces;
using Taskee.Grains.Storage;

namespace Taskee.Api.Sales.Onboarding;

/// <summary>
/// <c>PATCH /v1/quotes/{quoteId}</c>: sales marks a quote <c>won</c> or <c>lost</c>. <c>organisationId</c> (won only) is the new
/// organisation's id; absent, it follows from the lead's organisation name.
/// </summary>
public sealed record DecideQuoteRequest(string? Status, string? OrganisationId = null) : IValidatable
{
    public void Validate(ValidationErrors errors)
    {
        if (Status is not (QuoteRecord.Won or QuoteRecord.Lost)) errors.Add("status", "status is 'won' or 'lost'.");
        if (OrganisationId is not null && Status == QuoteRecord.Lost) errors.Add("organisationId", "organisationId is for a won quote only.");
        if (OrganisationId is not null && !Grains.Interfaces.OrganisationId.IsValid(OrganisationId))
            errors.Add("organisationId", "organisationId must be a slug: 3 to 63 characters of a-z, 0-9 and '-', not starting with '-'.");
    }
}

/// <summary>
/// Deciding a quote. Won: the decision, the lead's link and the onboarding commit in one transaction (so two requests, on
/// any silos, make one organisation), then <see cref="WonQuoteProvisioner"/> creates the custom plan and the organisation
/// and moves the lead to won. A retry of a won quote whose provisioning was cut short finishes it.
/// </summary>
public static class QuoteDecisionEndpoints
{
    public static void MapQuoteDecisionEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGroup("/v1/quotes").WithTags("Pricing")
            .MapPatch("/{quoteId}", DecideAsync).RequireAuthorization(Permissions.LeadsWrite).Validates<DecideQuoteRequest>()
            .WithMetadata(new IdempotentMutationAttribute()).WithName("DecideQuote")
            .ProducesProblem(StatusCodes.Status409Conflict).ProducesProblem(StatusCodes.Status412PreconditionFailed);
    }

    public static async Task<Results<Ok<QuoteResponse>, ValidationProblem, ProblemHttpResult>> DecideAsync(
        string quoteId, DecideQuoteRequest request, IQuoteStore quotes, ILeadStore leads, IOnboardingStore onboardings, WonQuoteProvisioner provisioner,
        TimeProvider clock, ILoggerFactory logs, HttpContext http, CancellationToken ct)
    {
        if (!ETags.TryReadIfMatch(http.Request, out var expectedRevision))
            return Problems.Validation("If-Match", "If-Match must be a quoted entity tag from an earlier response, like \"1\" (with the quotes).");
        if (await quotes.GetAsync(quoteId, ct) is not { } quote) return QuoteNotFound(quoteId);
        var logger = logs.CreateLogger(typeof(QuoteDecisionEndpoints).FullName!);

        // A won quote whose provisioning was cut short (a crash, a lost answer): the retry finishes it.
        if (quote.Status == QuoteRecord.Won && request.Status == QuoteRecord.Won
            && await onboardings.FindByQuoteAsync(quoteId, ct) is { ProvisionedAt: null } unfinished)
            return await ProvisionAsync(unfinished, provisioner, quotes, http, ct);

        if (quote.Status != QuoteRecord.Open)
            return Problems.Conflict($"Quote {quote.Number} v{quote.Version} is {quote.Status} already"
                + (quote.OrganisationId is { } org ? $" (organisation '{org}')" : "") + "; a decision is final.");
        if (expectedRevision is { } expected && expected != quote.Revision) return Problems.PreconditionFailed(quote.Revision);
        var now = clock.GetUtcNow();
        if (request.Status == QuoteRecord.Won && quote.ValidUntil < now)
            return Problems.Conflict($"Quote {quote.Number} v{quote.Version} was valid until {quote.ValidUntil:yyyy-MM-dd}; make a new quote for the lead.");

        if (request.Status == QuoteRecord.Lost)
        {
            var lost = await onboardings.LoseAsync(quoteId, now, Audit("quote.lost", quote, null, null), http.ChangeContext(), ct);
            if (lost.Status != QuoteDecisionStatus.Done) return Refused(lost, quoteId);
            OnboardingLog.QuoteLost(logger, quoteId);
            return Answer(lost.Quote!, http);
        }

        var lead = await leads.GetAsync(quote.LeadId, ct);
        var orgId = request.OrganisationId ?? OrganisationSlug.From(lead?.Answers.OrganisationName ?? quote.Number);
        var planId = CustomPlanFromQuote.PlanId(quote);
        var won = await onboardings.WinAsync(quoteId, orgId, planId, now, Audit("quote.won", quote, orgId, planId), http.ChangeContext(), ct);
        if (won.Status != QuoteDecisionStatus.Done) return Refused(won, quoteId, orgId);
        OnboardingLog.QuoteWon(logger, quoteId, orgId, planId);
        return await ProvisionAsync(won.Onboarding!, provisioner, quotes, http, ct);
    }

    private static async Task<Results<Ok<QuoteResponse>, ValidationProblem, ProblemHttpResult>> ProvisionAsync(
        OnboardingRecord onboarding, WonQuoteProvisioner provisioner, IQuoteStore quotes, HttpContext http, CancellationToken ct)
    {
        if (!await provisioner.ProvisionAsync(onboarding, http.ChangeContext(), ct))
            return Problems.Conflict($"The quote is won for organisation '{onboarding.OrgId}', but another organisation took that id meanwhile; an operator must resolve it.");
        return Answer((await quotes.GetAsync(onboarding.QuoteId, ct))!, http);
    }

    private static Ok<QuoteResponse> Answer(QuoteRecord quote, HttpContext http)
    {
        ETags.Set(http, ETags.Format(quote.Revision));
        return TypedResults.Ok(QuoteResponse.From(quote));
    }

    private static ProblemHttpResult Refused(QuoteDecisionResult result, string quoteId, string? orgId = null) => result.Status switch
    {
        QuoteDecisionStatus.QuoteNotFound => QuoteNotFound(quoteId),
        QuoteDecisionStatus.LeadLost => Problems.Conflict("The quote's lead is lost; reopen the sale with a new lead before winning a quote."),
        QuoteDecisionStatus.LeadWonElsewhere => Problems.Conflict("The quote's lead is won already with another quote; one lead becomes one organisation."),
        QuoteDecisionStatus.OrganisationTaken => Problems.Conflict($"Organisation id '{orgId}' is taken; send another as organisationId."),
        _ => Problems.Conflict($"Quote '{quoteId}' is {result.Quote?.Status} already; a decision is final."),
    };

    private static ProblemHttpResult QuoteNotFound(string quoteId) => Problems.NotFound($"Quote '{quoteId}' was not found.");

    private static AuditRecord Audit(string action, QuoteRecord quote, string? orgId, string? planId) => new(action, $"quotes/{quote.Id}",
        JsonSerializer.Serialize(new { status = quote.Status }, AuditJsonOptions.Options),
        JsonSerializer.Serialize(new
        {
            status = action == "quote.won" ? QuoteRecord.Won : QuoteRecord.Lost, number = quote.Number, version = quote.Version, leadId = quote.LeadId,
            organisationId = orgId, planId, totalCents = quote.Result.TotalCents,
        }, AuditJsonOptions.Options));
}

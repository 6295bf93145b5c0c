using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;
using Taskee.Api.Auth;
using Taskee.Api.Billing.Invoicing;
using Taskee.Api.Billing.Processing;
using Taskee.Api.Billing.Reconciliation;
using Taskee.Api.Billing.Stripe;
using Taskee.Api.Infrastructure;
using Taskee.Grains.Billing;
using Taskee.Grains.Catalog;
using Taskee.Grains.Interfaces;
using Taskee.Grains.Storage;

namespace Taskee.Api.Billing;

/// <summary>An organisation's billing: its state, its link to a Stripe customer, manual invoices for enterprise deals.</summary>
public static class BillingEndpoints
{
    public static void MapBillingEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/v1/organisations/{orgId}/billing").WithTags("Billing");
        group.MapGet("/", GetAsync).RequireAuthorization(Permissions.BillingRead).WithName("GetBilling");
        group.MapPut("/", LinkAsync).RequireAuthorization(Permissions.BillingWrite)
            .Validates<LinkBillingRequest>().WithMetadata(new IdempotentMutationAttribute()).WithName("LinkBilling");
        group.MapPost("/invoices", CreateInvoiceAsync).RequireAuthorization(Permissions.InvoicesWrite)
            .Validates<CreateInvoiceRequest>().WithMetadata(new IdempotentMutationAttribute()).WithName("CreateInvoice")
            .ProducesProblem(StatusCodes.Status502BadGateway); // Stripe refused or failed: the answer says whether to retry
    }

    public static async Task<Results<Ok<BillingResponse>, ProblemHttpResult>> GetAsync(
        string orgId, OrganisationGrains grains, HttpContext http, CancellationToken ct)
    {
        if (await grains.FindAsync(orgId, ct) is not { } organisation) return Problems.OrganisationNotFound(orgId);
        ETags.Set(http, ETags.Format(organisation.Version));
        return TypedResults.Ok(BillingResponse.From(organisation));
    }

    /// <summary>
    /// Links the organisation to a Stripe customer. Events of that customer that arrived before the link are processed
    /// now; with an API key, its subscription is read at once. Linking to another customer starts the facts afresh.
    /// </summary>
    public static async Task<Results<Ok<BillingResponse>, ValidationProblem, ProblemHttpResult>> LinkAsync(
        string orgId, LinkBillingRequest request, IBillingStore billing, IStripeEventStore events,
        BillingApplier applier, OrganisationGrains grains, StripeEventProcessor processor, StripeApi stripe, BillingReconciler reconciler,
        TimeProvider clock, ILoggerFactory loggers, HttpContext http, CancellationToken ct)
    {
        if (request.OrgId is not null && request.OrgId != orgId)
            return Problems.Validation("orgId", $"orgId is read-only and names the organisation in the path: send '{orgId}' or leave it out.");
        var customerId = request.StripeCustomerId!;
        if (await billing.FindByCustomerAsync(customerId, ct) is { } other && other != orgId)
            return CustomerTaken(customerId);

        var result = await grains.ChangeAsync(orgId, null, current =>
        {
            var facts = current.Billing ?? BillingFacts.Empty;
            if (facts.CustomerId == customerId) return null;
            var linked = facts.CustomerId is null
                ? facts with { CustomerId = customerId }
                : new OrganisationBilling { CustomerId = customerId, ManualInvoices = facts.ManualInvoices };
            return BillingChanges.Describe(current, applier.Decide(current, linked), "billing.linked");
        }, http.ChangeContext());
        switch (result.Status)
        {
            case WriteStatus.NotFound:
                return Problems.OrganisationNotFound(orgId);
            case WriteStatus.Conflict:
                return CustomerTaken(customerId);
        }

        var organisation = result.Value!;
        if (result.Status == WriteStatus.Done)
        {
            if (await events.RequeueUnmatchedAsync([customerId], clock.GetUtcNow(), ct) > 0) processor.Wake();
        }
        if (stripe.IsConfigured)
        {
            try
            {
                if (await reconciler.ReconcileAsync(orgId, customerId, $"link-{http.TraceIdentifier}", ct)
                    && await grains.FindAsync(orgId, ct) is { } synced)
                    organisation = synced;
            }
            catch (Exception ex) when (StripeFailures.IsStripeFailure(ex, ct))
            {
                BillingLog.LinkSyncFailed(loggers.CreateLogger(typeof(BillingEndpoints)), ex, customerId, orgId);
            }
        }

        ETags.Set(http, ETags.Format(organisation.Version));
        return TypedResults.Ok(BillingResponse.From(organisation));
    }

    /// <summary>
    /// Creates and sends a Stripe invoice (<c>send_invoice</c>) for an organisation on a custom plan. Idempotent: the same
    /// Idempotency-Key replays the first answer, and a retry after a failure half-way creates nothing twice at Stripe.
    /// </summary>
    public static async Task<Results<Created<InvoiceResponse>, ValidationProblem, ProblemHttpResult>> CreateInvoiceAsync(
        string orgId, CreateInvoiceRequest request, OrganisationGrains grains, CatalogCache catalog,
        StripeApi stripe, ManualInvoicing invoicing, HttpContext http, CancellationToken ct)
    {
        if (await grains.FindAsync(orgId, ct) is not { } organisation) return Problems.OrganisationNotFound(orgId);
        if (!catalog.Current.Plans.TryGetValue(organisation.PlanId, out var plan) || !plan.Custom)
            return Problems.Conflict($"Organisation '{orgId}' is on plan '{organisation.PlanId}', not a custom plan; manual invoices are for enterprise deals. Subscriptions invoice themselves.");
        if (organisation.Billing?.CustomerId is not { } customerId)
            return Problems.Conflict($"Organisation '{orgId}' is not linked to a Stripe customer; link it first with PUT /v1/organisations/{orgId}/billing.");
        if (!stripe.IsConfigured)
            return Problems.ServiceUnavailable("Billing:Stripe:ApiKey is not set on this node, so no invoice can be created.");

        var key = http.Request.Headers[IdempotencyMiddleware.HeaderName].ToString() is { Length: > 0 } given ? given : Guid.NewGuid().ToString("N");
        InvoiceResponse invoice;
        try
        {
            invoice = await invoicing.SendAsync(orgId, customerId, request, key, ct);
        }
        catch (Exception ex) when (StripeFailures.IsTransient(ex, ct))
        {
            http.Response.Headers.RetryAfter = "10";
            return Problems.BadGateway($"Stripe did not complete the invoice ({StripeFailures.Describe(ex)}). Retry with the same Idempotency-Key: nothing is created twice.");
        }
        catch (global::Stripe.StripeException ex)
        {
            return Problems.UnprocessableEntity("Stripe refused the invoice", $"Stripe answered {(int)ex.HttpStatusCode} {StripeFailures.Describe(ex)}");
        }

        await grains.ChangeAsync(orgId, null, o => BillingChanges.InvoiceSent(o, invoice.Id), http.ChangeContext());
        return TypedResults.Created((string?)null, invoice);
    }

    private static ProblemHttpResult CustomerTaken(string customerId) =>
        Problems.Conflict($"Stripe customer '{customerId}' is linked to another organisation; a customer pays for one organisation.");
}

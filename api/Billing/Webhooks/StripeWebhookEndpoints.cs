using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;
using Taskee.Api.Billing.Stripe;
using Taskee.Api.Infrastructure;

namespace Taskee.Api.Billing.Webhooks;

/// <summary>The acknowledgement of a delivery: the event is stored (now or before) and will be, or was, processed.</summary>
public sealed record WebhookAck(bool Received, string EventId, string Status, bool Duplicate);

/// <summary>
/// <c>POST /webhooks/stripe</c>: Stripe's deliveries. No API key: the <c>Stripe-Signature</c> is the authentication,
/// checked over the raw body before anything else. 2xx only once the event is stored.
/// </summary>
public static class StripeWebhookEndpoints
{
    public const string Route = "/webhooks/stripe";

    public static void MapStripeWebhookEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapPost(Route, ReceiveAsync).AllowAnonymous().WithTags("Billing").WithName("ReceiveStripeWebhook")
            .WithSummary("Stripe webhook deliveries, authenticated by the Stripe-Signature header.");
    }

    public static async Task<Results<Ok<WebhookAck>, ProblemHttpResult>> ReceiveAsync(
        HttpRequest request, StripeWebhookReceiver receiver, StripeWebhookHealth health, StartupGate gate, IOptions<StripeOptions> options, CancellationToken ct)
    {
        if (!gate.IsOpen)
        {
            request.HttpContext.Response.Headers.RetryAfter = "5";
            return Problems.ServiceUnavailable("The node is starting or stopping; Stripe delivers the event again.");
        }

        using var buffer = new MemoryStream();
        await request.Body.CopyToAsync(buffer, ct);
        var result = await receiver.ReceiveAsync(request.Headers[StripeWebhookSignature.HeaderName].ToString(), buffer.ToArray(), ct);
        if (result.Check == SignatureCheck.Valid) health.Received();
        else health.Failed("signature");

        return result.Check switch
        {
            SignatureCheck.Valid => TypedResults.Ok(new WebhookAck(true, result.EventId!, result.Status ?? "", result.Duplicate)),
            SignatureCheck.NotConfigured => Problems.ServiceUnavailable(
                "Billing:Stripe:WebhookSecrets is not configured on this node, so no delivery can be verified; nothing was stored."),
            SignatureCheck.Missing => Invalid("The Stripe-Signature header is missing."),
            SignatureCheck.Stale => Invalid(
                $"The signature's timestamp is more than {options.Value.Tolerance.TotalSeconds:0} s from now: a replayed or delayed delivery."),
            SignatureCheck.NotAnEvent => Invalid("The signed body is not a Stripe event (an id, a type, a creation time and data.object)."),
            _ => Invalid("No v1 signature in the Stripe-Signature header ('t=<unix time>,v1=<hex>') matches the body with any configured webhook secret."),
        };
    }

    private static ProblemHttpResult Invalid(string detail) =>
        Problems.BadRequest("Invalid Stripe signature", detail + " Nothing was stored.");
}

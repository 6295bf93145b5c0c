using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Taskee.Api.Auth;
using Taskee.Api.Infrastructure;
using Taskee.Grains.Interfaces;
using Taskee.Grains.Storage;

namespace Taskee.Api.Webhooks;

/// <summary>
/// Delivery of an organisation's webhook endpoint: a test message, the attempts, a redelivery, a replay. The organisation
/// needs the feature <c>api_access</c>; another organisation's endpoint or attempt is a 404, as if it did not exist.
/// </summary>
public static class WebhookDeliveryEndpoints
{
    public const int MaxPageSize = 100;
    public const int DefaultPageSize = 50;

    public static void MapWebhookDeliveryEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/v1/organisations/{orgId}/webhooks/{webhookId}").WithTags("Webhooks");
        group.MapPost("/test", TestAsync).RequireAuthorization(Permissions.WebhooksWrite)
            .WithMetadata(new IdempotentMutationAttribute()).WithName("TestWebhook");
        group.MapGet("/deliveries", ListAsync).RequireAuthorization(Permissions.WebhooksRead).WithName("ListWebhookDeliveries");
        group.MapPost("/deliveries/{deliveryId}/redeliver", RedeliverAsync).RequireAuthorization(Permissions.WebhooksWrite)
            .WithMetadata(new IdempotentMutationAttribute()).WithName("RedeliverWebhook");
        group.MapPost("/replay", ReplayAsync).RequireAuthorization(Permissions.WebhooksWrite)
            .Validates<WebhookReplayRequest>().WithMetadata(new IdempotentMutationAttribute()).WithName("ReplayWebhook");
    }

    /// <summary>Sends a <c>webhook.test</c> message now and answers with its attempt (whatever the receiver answered).</summary>
    public static async Task<Results<Ok<WebhookDeliveryResponse>, ProblemHttpResult>> TestAsync(
        string orgId, string webhookId, OrganisationGrains grains, IWebhookStore store, IGrainFactory factory, HttpContext http, CancellationToken ct)
    {
        if (await FindAsync(orgId, webhookId, grains, store, ct) is { } refused) return refused;
        var delivery = await factory.GetGrain<IWebhookEndpointGrain>(webhookId).SendTestAsync(http.ChangeContext());
        return delivery is null ? EndpointNotFound(orgId, webhookId) : TypedResults.Ok(WebhookDeliveryResponse.From(delivery));
    }

    public static async Task<Results<Ok<WebhookDeliveryPage>, ValidationProblem, ProblemHttpResult>> ListAsync(
        string orgId, string webhookId, OrganisationGrains grains, IWebhookStore store, IWebhookDeliveryStore deliveries, CancellationToken ct,
        string? after = null, int limit = DefaultPageSize)
    {
        if (limit is < 1 or > MaxPageSize) return Problems.Validation("limit", $"limit must be between 1 and {MaxPageSize}.");
        if (after is not null && !after.StartsWith(WebhookDelivery.IdPrefix, StringComparison.Ordinal))
            return Problems.Validation("after", "after must be the 'next' of an earlier page (a delivery id, whd_...).");
        if (await FindAsync(orgId, webhookId, grains, store, ct) is { } refused) return refused;

        var page = await deliveries.ListAsync(orgId, webhookId, after, limit, ct);
        return TypedResults.Ok(new WebhookDeliveryPage(page.Select(WebhookDeliveryResponse.From).ToList(), page.Count == limit ? page[^1].Id : null));
    }

    /// <summary>Sends the message of an earlier attempt again now, outside the queue, with the same <c>webhook-id</c> and body.</summary>
    public static async Task<Results<Ok<WebhookDeliveryResponse>, ProblemHttpResult>> RedeliverAsync(
        string orgId, string webhookId, string deliveryId, OrganisationGrains grains, IWebhookStore store, IWebhookDeliveryStore deliveries,
        IGrainFactory factory, HttpContext http, CancellationToken ct)
    {
        if (await FindAsync(orgId, webhookId, grains, store, ct) is { } refused) return refused;
        var original = await deliveries.FindAsync(orgId, webhookId, deliveryId, ct);
        if (original is null) return DeliveryNotFound(webhookId, deliveryId);
        if (original.EventSeq is null)
            return Problems.Conflict($"Delivery '{deliveryId}' is a test message, which is not redelivered; send a new one with POST .../webhooks/{webhookId}/test.");

        var delivery = await factory.GetGrain<IWebhookEndpointGrain>(webhookId).RedeliverAsync(deliveryId, http.ChangeContext());
        return delivery is null ? DeliveryNotFound(webhookId, deliveryId) : TypedResults.Ok(WebhookDeliveryResponse.From(delivery));
    }

    /// <summary>Moves the endpoint's cursor back to <c>from</c>: every selected event since then is sent again, in log order, after this answer.</summary>
    public static async Task<Results<Accepted<WebhookReplayResponse>, ValidationProblem, ProblemHttpResult>> ReplayAsync(
        string orgId, string webhookId, WebhookReplayRequest request, OrganisationGrains grains, IWebhookStore store, IGrainFactory factory,
        TimeProvider clock, HttpContext http, CancellationToken ct)
    {
        var from = request.From!.Value;
        if (from > clock.GetUtcNow()) return Problems.Validation("from", "from must not be in the future: replay re-sends events already committed.");
        if (await FindAsync(orgId, webhookId, grains, store, ct) is { } refused) return refused;

        var rewound = await factory.GetGrain<IWebhookEndpointGrain>(webhookId).ReplayAsync(from, http.ChangeContext());
        return rewound is null
            ? EndpointNotFound(orgId, webhookId)
            : TypedResults.Accepted($"/v1/organisations/{orgId}/webhooks/{webhookId}/deliveries", new WebhookReplayResponse(webhookId, from, rewound.Value));
    }

    /// <summary>Null when the organisation exists, has the feature and owns the endpoint; otherwise the problem to answer.</summary>
    private static async Task<ProblemHttpResult?> FindAsync(string orgId, string webhookId, OrganisationGrains grains, IWebhookStore store, CancellationToken ct)
    {
        if (await grains.GetAsync(orgId, ct) is not { } grain) return Problems.OrganisationNotFound(orgId);
        if (await grain.RequireFeatureAsync(Features.ApiAccess, "Webhooks") is { } missing) return missing;
        return await store.FindAsync(orgId, webhookId, ct) is null ? EndpointNotFound(orgId, webhookId) : null;
    }

    private static ProblemHttpResult EndpointNotFound(string orgId, string webhookId) =>
        Problems.NotFound($"Organisation '{orgId}' has no webhook endpoint '{webhookId}'.");

    private static ProblemHttpResult DeliveryNotFound(string webhookId, string deliveryId) =>
        Problems.NotFound($"Webhook endpoint '{webhookId}' has no delivery '{deliveryId}'.");
}

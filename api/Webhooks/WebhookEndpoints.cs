using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Taskee.Api.Auth;
using Taskee.Api.Infrastructure;
using Taskee.Grains.Audit;
using Taskee.Grains.Catalog;
using Taskee.Grains.Interfaces;
using Taskee.Grains.Storage;

namespace Taskee.Api.Webhooks;

/// <summary>
/// An organisation's outgoing webhook endpoints (feature <c>api_access</c>): create, list, read, update, delete, rotate
/// the signing secret; and the catalogue of event types. Delivery is the endpoint grain's: every change wakes it.
/// </summary>
public static class WebhookEndpoints
{
    /// <summary>Endpoints per organisation: each is a grain delivering the whole chain, so their number is bounded.</summary>
    public const int MaxPerOrganisation = 20;

    /// <summary>Attempts of a PATCH without If-Match that meets a concurrent change: it re-reads and applies itself again.</summary>
    private const int UnconditionalAttempts = 3;

    public static void MapWebhookEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/v1/webhooks/event-types", ListEventTypes).RequireAuthorization().WithTags("Webhooks").WithName("ListWebhookEventTypes");

        var group = app.MapGroup("/v1/organisations/{orgId}/webhooks").WithTags("Webhooks");
        // Create and rotate are not idempotent mutations: a replayed answer would show the secret again, and the stored
        // answer would keep it in the clear. A retried create makes a second endpoint the caller can delete.
        group.MapPost("/", CreateAsync).RequireAuthorization(Permissions.WebhooksWrite).Validates<CreateWebhookRequest>().WithName("CreateWebhook");
        group.MapGet("/", ListAsync).RequireAuthorization(Permissions.WebhooksRead).WithName("ListWebhooks");
        group.MapGet("/{webhookId}", GetAsync).RequireAuthorization(Permissions.WebhooksRead).WithName("GetWebhook");
        group.MapPatch("/{webhookId}", PatchAsync).RequireAuthorization(Permissions.WebhooksWrite).Validates<PatchWebhookRequest>()
            .WithMetadata(new IdempotentMutationAttribute()).WithName("UpdateWebhook").ProducesProblem(StatusCodes.Status412PreconditionFailed);
        group.MapDelete("/{webhookId}", DeleteAsync).RequireAuthorization(Permissions.WebhooksWrite)
            .WithMetadata(new IdempotentMutationAttribute()).WithName("DeleteWebhook");
        group.MapPost("/{webhookId}/rotate-secret", RotateSecretAsync).RequireAuthorization(Permissions.WebhooksWrite).WithName("RotateWebhookSecret");
    }

    public static Ok<WebhookEventTypeList> ListEventTypes() => TypedResults.Ok(new WebhookEventTypeList(WebhookEventCatalog.All));

    public static async Task<Results<Created<CreatedWebhookResponse>, ValidationProblem, ProblemHttpResult>> CreateAsync(
        string orgId, CreateWebhookRequest request, IWebhookStore store, OrganisationGrains grains, CatalogCache catalog, WebhookUrlPolicy urls,
        IWebhookWake wake, TimeProvider clock, ILoggerFactory logs, HttpContext http, CancellationToken ct)
    {
        if (await RefuseAsync(orgId, writing: true, grains, catalog, http, ct) is { } refused) return refused;
        if ((await store.ListAsync(orgId, ct)).Count >= MaxPerOrganisation)
            return Problems.Conflict($"Organisation '{orgId}' has {MaxPerOrganisation} webhook endpoints, the most it may have; delete one before adding another.");
        if (await RefuseTargetAsync(orgId, request.Url!, urls, logs, ct) is { } target) return target;

        var now = clock.GetUtcNow();
        now = now.AddTicks(-(now.Ticks % TimeSpan.TicksPerMillisecond)); // as stored, so this answer equals a later GET
        var endpoint = new WebhookEndpoint(WebhookEndpoint.IdPrefix + Ulid.NewUlid(now), orgId, request.Url!, [.. WebhookFields.Normalise(request.Events!)],
            string.IsNullOrEmpty(request.Description) ? null : request.Description, request.Enabled ?? true, null, 1, now, now, null);
        var secret = WebhookSecrets.NewSecret();
        await store.CreateAsync(endpoint, secret, Audit("webhook.created", endpoint, null, WebhookFields.AuditJson(endpoint)), http.ChangeContext(), ct);
        await wake.WakeAsync(endpoint.Id);
        WebhookLog.Created(Log(logs), orgId, endpoint.Id, new Uri(endpoint.Url).IdnHost);

        ETags.Set(http, ETags.Format(endpoint.Version));
        return TypedResults.Created($"/v1/organisations/{orgId}/webhooks/{endpoint.Id}", new CreatedWebhookResponse(WebhookResponse.From(endpoint), secret));
    }

    public static async Task<Results<Ok<WebhookList>, ProblemHttpResult>> ListAsync(
        string orgId, IWebhookStore store, OrganisationGrains grains, CatalogCache catalog, HttpContext http, CancellationToken ct)
    {
        if (await RefuseAsync(orgId, writing: false, grains, catalog, http, ct) is { } refused) return refused;
        var endpoints = await store.ListAsync(orgId, ct);
        return TypedResults.Ok(new WebhookList(endpoints.Select(WebhookResponse.From).ToList()));
    }

    public static async Task<Results<Ok<WebhookResponse>, ProblemHttpResult>> GetAsync(
        string orgId, string webhookId, IWebhookStore store, OrganisationGrains grains, CatalogCache catalog, HttpContext http, CancellationToken ct)
    {
        if (await RefuseAsync(orgId, writing: false, grains, catalog, http, ct) is { } refused) return refused;
        if (await store.FindAsync(orgId, webhookId, ct) is not { } endpoint) return NoSuchEndpoint(orgId, webhookId);
        ETags.Set(http, ETags.Format(endpoint.Version));
        return TypedResults.Ok(WebhookResponse.From(endpoint));
    }

    /// <summary>Changes url, events, description or enabled; with If-Match only when the endpoint is still at that version.</summary>
    public static async Task<Results<Ok<WebhookResponse>, ValidationProblem, ProblemHttpResult>> PatchAsync(
        string orgId, string webhookId, PatchWebhookRequest patch, IWebhookStore store, OrganisationGrains grains, CatalogCache catalog,
        WebhookUrlPolicy urls, IWebhookWake wake, ILoggerFactory logs, HttpContext http, CancellationToken ct)
    {
        if (!ETags.TryReadIfMatch(http.Request, out var expectedVersion))
            return Problems.Validation("If-Match", "If-Match must be a quoted entity tag from an earlier response, like \"3\" (with the quotes).");
        if (await RefuseAsync(orgId, writing: true, grains, catalog, http, ct) is { } refused) return refused;
        if (patch.Url is not null && await RefuseTargetAsync(orgId, patch.Url, urls, logs, ct) is { } target) return target;

        for (var attempt = 1; ; attempt++)
        {
            if (await store.FindAsync(orgId, webhookId, ct) is not { } current) return NoSuchEndpoint(orgId, webhookId);
            if (expectedVersion is { } expected && expected != current.Version) return Problems.PreconditionFailed(current.Version);

            var updated = Apply(current, patch);
            var before = WebhookFields.AuditJson(current);
            var after = WebhookFields.AuditJson(updated);
            // Sending back what GET returned changes nothing and records nothing.
            if (before == after && updated.DisabledReason == current.DisabledReason) return Answer(current, http);

            var result = await store.UpdateAsync(current.Version, updated, Audit("webhook.updated", current, before, after), http.ChangeContext(), ct);
            switch (result.Status)
            {
                case WriteStatus.NotFound:
                    return NoSuchEndpoint(orgId, webhookId);
                case WriteStatus.VersionMismatch when expectedVersion is not null:
                    return Problems.PreconditionFailed(result.Value!.Version);
                case WriteStatus.VersionMismatch when attempt < UnconditionalAttempts:
                    continue;
                case WriteStatus.VersionMismatch:
                    return Problems.Conflict($"Webhook endpoint '{webhookId}' is being changed by another request; read it again and retry.");
            }

            await wake.WakeAsync(webhookId);
            WebhookLog.Updated(Log(logs), orgId, webhookId, result.Value!.Enabled);
            return Answer(result.Value!, http);
        }
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> DeleteAsync(
        string orgId, string webhookId, IWebhookStore store, OrganisationGrains grains, CatalogCache catalog, IWebhookWake wake, ILoggerFactory logs,
        HttpContext http, CancellationToken ct)
    {
        if (await RefuseAsync(orgId, writing: true, grains, catalog, http, ct) is { } refused) return refused;
        if (await store.FindAsync(orgId, webhookId, ct) is not { } current) return NoSuchEndpoint(orgId, webhookId);
        if (!await store.DeleteAsync(orgId, webhookId, Audit("webhook.deleted", current, WebhookFields.AuditJson(current), null), http.ChangeContext(), ct))
            return NoSuchEndpoint(orgId, webhookId);
        // The grain finds no endpoint and stops: nothing more is sent to this URL.
        await wake.WakeAsync(webhookId);
        WebhookLog.Deleted(Log(logs), orgId, webhookId);
        return TypedResults.NoContent();
    }

    /// <summary>A new signing secret; the current one keeps signing beside it for Webhooks:RotationGrace, so receivers can switch.</summary>
    public static async Task<Results<Ok<RotatedWebhookSecretResponse>, ProblemHttpResult>> RotateSecretAsync(
        string orgId, string webhookId, IWebhookStore store, OrganisationGrains grains, CatalogCache catalog, IOptions<WebhookOptions> options,
        IWebhookWake wake, TimeProvider clock, ILoggerFactory logs, HttpContext http, CancellationToken ct)
    {
        if (await RefuseAsync(orgId, writing: true, grains, catalog, http, ct) is { } refused) return refused;
        if (await store.FindAsync(orgId, webhookId, ct) is not { } current) return NoSuchEndpoint(orgId, webhookId);

        var until = clock.GetUtcNow() + options.Value.RotationGrace;
        until = until.AddTicks(-(until.Ticks % TimeSpan.TicksPerMillisecond)); // as stored
        var secret = WebhookSecrets.NewSecret();
        var audit = Audit("webhook.secret_rotated", current, null,
            System.Text.Json.JsonSerializer.Serialize(new { previousSecretValidUntil = until }, AuditJsonOptions.Options));
        var result = await store.RotateSecretAsync(orgId, webhookId, secret, until, audit, http.ChangeContext(), ct);
        if (result.Status == WriteStatus.NotFound) return NoSuchEndpoint(orgId, webhookId);

        await wake.WakeAsync(webhookId);
        WebhookLog.SecretRotated(Log(logs), orgId, webhookId, until);
        ETags.Set(http, ETags.Format(result.Value!.Version));
        return TypedResults.Ok(new RotatedWebhookSecretResponse(webhookId, secret, until));
    }

    /// <summary>
    /// 404 for a missing organisation (the same answer as for another tenant's), 403 when it lacks <c>api_access</c>.
    /// Platform staff read any organisation's endpoints (support), with or without the feature; writing always needs it.
    /// </summary>
    private static async Task<ProblemHttpResult?> RefuseAsync(string orgId, bool writing, OrganisationGrains grains, CatalogCache catalog,
        HttpContext http, CancellationToken ct)
    {
        if (await grains.GetAsync(orgId, ct) is not { } grain) return Problems.OrganisationNotFound(orgId);
        if (!writing && http.Caller().IsPlatform) return null;
        return await grain.RequireFeatureAsync(Features.ApiAccess, "Webhooks", catalog);
    }

    private static async Task<ValidationProblem?> RefuseTargetAsync(string orgId, string url, WebhookUrlPolicy urls, ILoggerFactory logs, CancellationToken ct)
    {
        if (await urls.CheckTargetAsync(url, ct) is not { } reason) return null;
        WebhookLog.TargetRefused(Log(logs), orgId, reason);
        return Problems.Validation("url", reason);
    }

    private static WebhookEndpoint Apply(WebhookEndpoint current, PatchWebhookRequest patch) => current with
    {
        Url = patch.Url ?? current.Url,
        Events = patch.Events is null ? current.Events : [.. WebhookFields.Normalise(patch.Events)],
        Description = patch.Description is null ? current.Description : patch.Description.Length == 0 ? null : patch.Description,
        Enabled = patch.Enabled ?? current.Enabled,
        // An admin who sets enabled (either way) decides; the service's reason for having disabled it no longer holds.
        DisabledReason = patch.Enabled is null ? current.DisabledReason : null,
    };

    private static Ok<WebhookResponse> Answer(WebhookEndpoint endpoint, HttpContext http)
    {
        ETags.Set(http, ETags.Format(endpoint.Version));
        return TypedResults.Ok(WebhookResponse.From(endpoint));
    }

    private static AuditRecord Audit(string action, WebhookEndpoint endpoint, string? before, string? after) =>
        new(action, $"organisations/{endpoint.OrgId}/webhooks/{endpoint.Id}", before, after);

    private static ProblemHttpResult NoSuchEndpoint(string orgId, string webhookId) =>
        Problems.NotFound($"Organisation '{orgId}' has no webhook endpoint '{webhookId}'.");

    private static ILogger Log(ILoggerFactory logs) => logs.CreateLogger(typeof(WebhookEndpoints));
}

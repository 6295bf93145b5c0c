using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Net.Http.Headers;
using Taskee.Api.Auth;
using Taskee.Api.Infrastructure;
using Taskee.Grains.Interfaces;
using Taskee.Grains.Interfaces.Scim;
using Taskee.Grains.Storage;

namespace Taskee.Api.Scim;

/// <summary>
/// The organisation a SCIM request acts on — the one of its bearer key, never one named in the request — with its
/// grains and the change context its audit events record (actor kind <c>scim</c>, the key's id).
/// </summary>
public sealed record ScimContext(string OrgId, IOrganisationScimGrain Directory, ChangeContext Change, string BaseUrl)
{
    private const string ItemKey = "taskee.scim";
    public const string ActorKind = "scim";

    public static ScimContext Of(HttpContext http) =>
        http.Items[ItemKey] as ScimContext ?? throw new InvalidOperationException("A SCIM endpoint ran without the SCIM filter.");

    /// <summary>
    /// Runs before every SCIM endpoint: finds the caller's organisation, checks the feature, and turns a
    /// <see cref="ScimRequestException"/> of the handler into its SCIM error.
    /// </summary>
    public static async ValueTask<object?> FilterAsync(EndpointFilterInvocationContext invocation, EndpointFilterDelegate next)
    {
        var http = invocation.HttpContext;
        var caller = http.Caller();
        if (caller.OrgId is not { } orgId)
            return new ScimError(StatusCodes.Status403Forbidden, "SCIM serves one organisation's directory: use an API key of the organisation with scope 'scim'.");

        var grains = http.RequestServices.GetRequiredService<OrganisationGrains>();
        if (await grains.GetAsync(orgId, http.RequestAborted) is not { } organisation)
            return new ScimError(StatusCodes.Status404NotFound, $"Organisation '{orgId}' of this key was not found.");
        var entitlements = (await organisation.GetEntitlementsAsync())!;
        if (entitlements.Features.GetValueOrDefault(Features.Scim) is not { Enabled: true })
            return new ScimError(StatusCodes.Status403Forbidden,
                $"SCIM provisioning needs the feature '{Features.Scim}', which plan '{entitlements.PlanId}' does not include here; Enterprise plans have it.");

        var change = http.ChangeContext() with { Actor = new AuditActor(ActorKind, caller.Id) };
        var directory = organisation.AsReference<IOrganisationScimGrain>(); // the same activation: one grain class serves both interfaces
        http.Items[ItemKey] = new ScimContext(orgId, directory, change, ScimRepresentation.BaseUrl(http.Request));
        try
        {
            return await next(invocation);
        }
        catch (ScimRequestException refused)
        {
            return refused.Error;
        }
    }

    /// <summary>The JSON object a POST, PUT or PATCH sends, as <c>application/scim+json</c> or <c>application/json</c>.</summary>
    public static async Task<JsonObject> ReadBodyAsync(HttpRequest request)
    {
        // Every write reads its body first: a bad attributes list is refused before anything is written.
        ScimProjection.Validate(request);
        if (!MediaTypeHeaderValue.TryParse(request.ContentType, out var type)
            || !(type.MediaType.Equals(ScimSchemas.MediaType, StringComparison.OrdinalIgnoreCase) || type.MediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase)))
            throw new ScimRequestException(new ScimError(StatusCodes.Status415UnsupportedMediaType,
                "Send the body as 'Content-Type: application/scim+json' (application/json is accepted too)."));
        JsonNode? body;
        try
        {
            body = await JsonNode.ParseAsync(request.Body, documentOptions: new JsonDocumentOptions { MaxDepth = 32 }, cancellationToken: request.HttpContext.RequestAborted);
        }
        catch (JsonException ex)
        {
            throw new ScimRequestException(ScimError.BadRequest(ScimType.InvalidSyntax,
                $"The body is not valid JSON (line {ex.LineNumber + 1}, byte {ex.BytePositionInLine + 1}); send one JSON object."));
        }
        return body as JsonObject ?? throw new ScimRequestException(ScimError.BadRequest(ScimType.InvalidSyntax, "The body must be one JSON object."));
    }

    /// <summary>
    /// The version an If-Match asks for; null when absent or <c>*</c>. Weak tags match (RFC 7644 3.14 versions are weak);
    /// a tag that is not one of ours gives -1, which matches nothing (412).
    /// </summary>
    public static long? IfMatch(HttpRequest request)
    {
        var values = request.Headers.IfMatch.Where(v => !string.IsNullOrWhiteSpace(v)).Cast<string>().ToList();
        if (values.Count == 0) return null;
        if (!EntityTagHeaderValue.TryParseStrictList(values, out var tags) || tags is null || tags.Count == 0)
            throw new ScimRequestException(ScimError.BadRequest(ScimType.InvalidSyntax, "If-Match must be an entity tag such as W/\"3\" (meta.version)."));
        if (tags.Any(t => t.Equals(EntityTagHeaderValue.Any))) return null;
        return tags.Select(t => long.TryParse(t.Tag.AsSpan().Trim('"'), out var v) && v > 0 ? v : -1).FirstOrDefault(v => v > 0, -1);
    }
}

using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;
using Taskee.Api.Auth;
using Taskee.Api.Infrastructure;
using Taskee.Grains.Interfaces;
using Taskee.Grains.Storage;

namespace Taskee.Api.ApiKeys;

public sealed record CreateApiKeyRequest(string? Name, List<string>? Scopes, DateTimeOffset? ExpiresAt) : IValidatable
{
    public void Validate(ValidationErrors errors)
    {
        if (string.IsNullOrWhiteSpace(Name) || Name.Length > 200) errors.Add("name", "name is required: 1 to 200 characters.");
        if (Scopes is null || Scopes.Count == 0)
            errors.Add("scopes", $"scopes is required: one or more of {string.Join(", ", Roles.OrganisationKeyScopes)}.");
        else
            foreach (var scope in Scopes.Where(s => !Roles.OrganisationKeyScopes.Contains(s)))
                errors.Add("scopes", $"Unknown scope '{scope}'; use {string.Join(", ", Roles.OrganisationKeyScopes)}.");
    }
}

public sealed record ApiKeyResponse(string Id, string Name, IReadOnlyList<string> Scopes, DateTimeOffset CreatedAt, DateTimeOffset? ExpiresAt,
    DateTimeOffset? RevokedAt, DateTimeOffset? LastUsedAt, DateTimeOffset? PreviousSecretValidUntil)
{
    public static ApiKeyResponse From(ApiKeyRecord k) =>
        new(k.Id, k.Name, k.Scopes, k.CreatedAt, k.ExpiresAt, k.RevokedAt, k.LastUsedAt, k.PreviousValidUntil);
}

/// <summary>The one response that carries the key itself; it is not stored and cannot be shown again.</summary>
public sealed record CreatedApiKeyResponse(string Id, string Name, IReadOnlyList<string> Scopes, DateTimeOffset CreatedAt, DateTimeOffset? ExpiresAt, string Key);

public sealed record ApiKeyList(IReadOnlyList<ApiKeyResponse> Items);

/// <summary>The key with its new secret (shown once), and until when the previous secret still works.</summary>
public sealed record RotatedApiKeyResponse(string Id, string Key, DateTimeOffset PreviousValidUntil);

public static class ApiKeyEndpoints
{
    public static void MapApiKeyEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/v1/organisations/{orgId}/api-keys").WithTags("API keys");
        group.MapPost("/", CreateAsync).RequireAuthorization(Permissions.KeysWrite)
            .Validates<CreateApiKeyRequest>().WithMetadata(new IdempotentMutationAttribute()).WithName("CreateApiKey");
        group.MapGet("/", ListAsync).RequireAuthorization(Permissions.KeysRead).WithName("ListApiKeys");
        group.MapDelete("/{keyId}", RevokeAsync).RequireAuthorization(Permissions.KeysWrite)
            .WithMetadata(new IdempotentMutationAttribute()).WithName("RevokeApiKey");
        group.MapPost("/{keyId}/rotate", RotateAsync).RequireAuthorization(Permissions.KeysWrite)
            .WithMetadata(new IdempotentMutationAttribute()).WithName("RotateApiKey");
    }

    /// <summary>A new secret for the same key id; the old secret keeps working for Auth:ApiKeyRotationGrace.</summary>
    public static async Task<Results<Ok<RotatedApiKeyResponse>, ProblemHttpResult>> RotateAsync(
        string orgId, string keyId, IApiKeyStore keys, ApiKeyCache cache, IOptions<AuthOptions> options, TimeProvider clock, HttpContext http, CancellationToken ct)
    {
        var (_, fresh) = ApiKeyToken.Generate();
        var previousValidUntil = clock.GetUtcNow() + options.Value.ApiKeyRotationGrace;
        var audit = new AuditRecord("apikey.rotated", $"organisations/{orgId}/api-keys/{keyId}", null,
            JsonSerializer.Serialize(new { id = keyId, previousValidUntil }, AuditJsonOptions.Options));
        if (!await keys.RotateAsync(orgId, keyId, ApiKeyToken.HashSecret(fresh.Secret), previousValidUntil, audit, http.ChangeContext(), ct))
            return Problems.NotFound($"Organisation '{orgId}' has no live API key '{keyId}'.");
        cache.Invalidate(keyId);
        return TypedResults.Ok(new RotatedApiKeyResponse(keyId, $"{ApiKeyToken.Prefix}{keyId}_{fresh.Secret}", previousValidUntil));
    }

    public static async Task<Results<Created<CreatedApiKeyResponse>, ValidationProblem, ProblemHttpResult>> CreateAsync(
        string orgId, CreateApiKeyRequest request, IApiKeyStore keys, OrganisationGrains grains, TimeProvider clock, HttpContext http, CancellationToken ct)
    {
        if (await grains.GetAsync(orgId, ct) is null) return Problems.OrganisationNotFound(orgId);
        var now = clock.GetUtcNow();
        if (request.ExpiresAt is { } expires && expires <= now) return Problems.Validation("expiresAt", "expiresAt must be in the future.");

        var (token, parts) = ApiKeyToken.Generate();
        var record = new ApiKeyRecord(parts.Id, orgId, request.Name!, request.Scopes!.Distinct().Order().ToList(),
            ApiKeyToken.HashSecret(parts.Secret), TruncateToMilliseconds(now), request.ExpiresAt is { } e ? TruncateToMilliseconds(e) : null, RevokedAt: null);
        var audit = new AuditRecord("apikey.created", $"organisations/{orgId}/api-keys/{record.Id}", null, Json(record));
        await keys.CreateAsync(record, audit, http.ChangeContext(), ct);

        return TypedResults.Created($"/v1/organisations/{orgId}/api-keys/{record.Id}",
            new CreatedApiKeyResponse(record.Id, record.Name, record.Scopes, record.CreatedAt, record.ExpiresAt, token));
    }

    public static async Task<Results<Ok<ApiKeyList>, ProblemHttpResult>> ListAsync(
        string orgId, IApiKeyStore keys, OrganisationGrains grains, CancellationToken ct)
    {
        if (await grains.GetAsync(orgId, ct) is null) return Problems.OrganisationNotFound(orgId);
        var list = await keys.ListAsync(orgId, ct);
        return TypedResults.Ok(new ApiKeyList(list.Select(ApiKeyResponse.From).ToList()));
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> RevokeAsync(
        string orgId, string keyId, IApiKeyStore keys, ApiKeyCache cache, HttpContext http, CancellationToken ct)
    {
        var audit = new AuditRecord("apikey.revoked", $"organisations/{orgId}/api-keys/{keyId}", null, null);
        if (!await keys.RevokeAsync(orgId, keyId, audit, http.ChangeContext(), ct))
            return Problems.NotFound($"Organisation '{orgId}' has no live API key '{keyId}'.");
        cache.Invalidate(keyId);
        return TypedResults.NoContent();
    }

    private static string Json(ApiKeyRecord key) => JsonSerializer.Serialize(ApiKeyResponse.From(key), AuditJsonOptions.Options);

    private static DateTimeOffset TruncateToMilliseconds(DateTimeOffset t) => new(t.Ticks - t.Ticks % TimeSpan.TicksPerMillisecond, t.Offset);
}

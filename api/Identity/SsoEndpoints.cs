using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;
using Taskee.Api.Auth;
using Taskee.Api.Auth.Jwt;
using Taskee.Api.Infrastructure;
using Taskee.Grains.Interfaces;
using Taskee.Grains.Storage;

namespace Taskee.Api.Identity;

public sealed record SsoRequest(string? Issuer, string? Audience, string? OrgClaim, string? RolesClaim) : IValidatable
{
    public void Validate(ValidationErrors errors)
    {
        if (!Uri.TryCreate(Issuer, UriKind.Absolute, out var uri) || uri.Scheme is not ("https" or "http"))
            errors.Add("issuer", "issuer is required: the identity provider's issuer URL, e.g. https://login.example.com/tenant.");
        if (string.IsNullOrWhiteSpace(Audience) || Audience.Length > 400) errors.Add("audience", "audience is required: the API identifier tokens are issued for.");
        if (OrgClaim is { Length: 0 or > 100 }) errors.Add("orgClaim", "orgClaim, when given, is a claim name of 1 to 100 characters.");
        if (RolesClaim is { Length: 0 or > 100 }) errors.Add("rolesClaim", "rolesClaim, when given, is a claim name of 1 to 100 characters.");
    }
}

public sealed record SsoResponse(string Issuer, string Audience, string? OrgClaim, string RolesClaim)
{
    public static SsoResponse From(SsoSettings s) => new(s.Issuer, s.Audience, s.OrgClaim, s.RolesClaim);
}

/// <summary>An organisation's own OIDC issuer (feature <c>sso</c>): its tokens act on this organisation only.</summary>
public static class SsoEndpoints
{
    public static void MapSsoEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/v1/organisations/{orgId}/sso").WithTags("SSO");
        group.MapGet("/", GetAsync).RequireAuthorization(Permissions.SsoRead).WithName("GetSso");
        group.MapPut("/", PutAsync).RequireAuthorization(Permissions.SsoWrite)
            .Validates<SsoRequest>().WithMetadata(new IdempotentMutationAttribute()).WithName("PutSso");
    }

    public static async Task<Results<Ok<SsoResponse>, ProblemHttpResult>> GetAsync(string orgId, OrganisationGrains grains, IIdentityStore store, CancellationToken ct)
    {
        if (await grains.GetAsync(orgId, ct) is null) return Problems.OrganisationNotFound(orgId);
        return await store.GetSsoAsync(orgId, ct) is { } sso ? TypedResults.Ok(SsoResponse.From(sso)) : Problems.NotFound($"Organisation '{orgId}' has no SSO configured.");
    }

    public static async Task<Results<Ok<SsoResponse>, ValidationProblem, ProblemHttpResult>> PutAsync(
        string orgId, SsoRequest request, OrganisationGrains grains, IIdentityStore store, IssuerRegistry issuers, IOptions<JwtOptions> jwt,
        HttpContext http, CancellationToken ct)
    {
        var issuer = request.Issuer!.TrimEnd('/');
        if (jwt.Value.RequireHttpsMetadata && !issuer.StartsWith("https://", StringComparison.Ordinal))
            return Problems.Validation("issuer", "issuer must be an https:// URL (Auth:Jwt:RequireHttpsMetadata is on).");
        if (await grains.GetAsync(orgId, ct) is not { } grain) return Problems.OrganisationNotFound(orgId);
        if (await grain.RequireFeatureAsync(Features.Sso, "SSO") is { } missing) return missing;

        var settings = new SsoSettings(orgId, issuer, request.Audience!, request.OrgClaim, request.RolesClaim ?? jwt.Value.RolesClaim);
        var before = await store.GetSsoAsync(orgId, ct);
        var audit = new AuditRecord("sso.configured", $"organisations/{orgId}/sso",
            before is null ? null : JsonSerializer.Serialize(SsoResponse.From(before), AuditJsonOptions.Options),
            JsonSerializer.Serialize(SsoResponse.From(settings), AuditJsonOptions.Options));
        var result = await store.PutSsoAsync(settings, audit, http.ChangeContext(), ct);
        if (result.Status == WriteStatus.Conflict) return Problems.Conflict($"Issuer '{issuer}' is already the SSO issuer of another organisation.");
        await issuers.ReloadAsync(ct);
        return TypedResults.Ok(SsoResponse.From(settings));
    }
}

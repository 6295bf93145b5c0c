using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;
using Taskee.Api.Auth;
using Taskee.Api.Auth.Jwt;
using Taskee.Api.Identity.Oidc;
using Taskee.Api.Infrastructure;
using Taskee.Grains.Interfaces;
using Taskee.Grains.Storage;

namespace Taskee.Api.Identity;

/// <summary>
/// An organisation's SSO: its issuer (whose bearer tokens act on the organisation) and, with <c>clientId</c>, OIDC sign-in
/// of its people at that issuer. <c>clientSecret</c> is write-only: a PUT without it keeps the stored one, and
/// <c>clientSecretSet</c> (what GET shows instead) is accepted and ignored, so a GET body can be sent back.
/// </summary>
public sealed record SsoRequest(
    string? Issuer, string? Audience, string? OrgClaim, string? RolesClaim,
    string? ClientId = null, string? ClientSecret = null, bool? ClientSecretSet = null, string? GroupsClaim = null,
    Dictionary<string, string>? GroupRoles = null, string? DefaultRole = null, bool? JitProvisioning = null, string? Scopes = null) : IValidatable
{
    public const int MaxGroupRoles = 200;

    public void Validate(ValidationErrors errors)
    {
        if (!Uri.TryCreate(Issuer, UriKind.Absolute, out var uri) || uri.Scheme is not ("https" or "http"))
            errors.Add("issuer", "issuer is required: the identity provider's issuer URL, e.g. https://login.example.com/tenant.");
        if (string.IsNullOrWhiteSpace(Audience) || Audience.Length > 400) errors.Add("audience", "audience is required: the API identifier tokens are issued for.");
        if (OrgClaim is { Length: 0 or > 100 }) errors.Add("orgClaim", "orgClaim, when given, is a claim name of 1 to 100 characters.");
        if (RolesClaim is { Length: 0 or > 100 }) errors.Add("rolesClaim", "rolesClaim, when given, is a claim name of 1 to 100 characters.");

        if (ClientId is not null && (string.IsNullOrWhiteSpace(ClientId) || ClientId.Length > 400 || ClientId.Any(char.IsControl)))
            errors.Add("clientId", "clientId, when given, is the OIDC client (application) id the identity provider gave Taskee: 1 to 400 characters.");
        if (ClientSecret is not null && (ClientSecret.Length is 0 or > 1000 || ClientSecret.Any(char.IsControl)))
            errors.Add("clientSecret", "clientSecret, when given, is the client secret of that application: 1 to 1000 characters.");
        if (ClientSecret is not null && ClientId is null)
            errors.Add("clientSecret", "clientSecret needs clientId: send the application's client id with its secret.");
        if (GroupsClaim is { Length: 0 or > 100 }) errors.Add("groupsClaim", "groupsClaim, when given, is a claim name of 1 to 100 characters, e.g. groups.");
        if (GroupRoles is { Count: > MaxGroupRoles }) errors.Add("groupRoles", $"groupRoles maps at most {MaxGroupRoles} groups to roles.");
        foreach (var (group, role) in GroupRoles ?? [])
        {
            if (group.Length is 0 or > 256) errors.Add("groupRoles", "groupRoles keys are group names (or ids) of 1 to 256 characters.");
            if (RoleError(role) is { } error) errors.Add("groupRoles", $"groupRoles['{group}']: {error}");
        }
        if (DefaultRole is not null && RoleError(DefaultRole) is { } defaultError) errors.Add("defaultRole", $"defaultRole: {defaultError}");
        if (Scopes is not null)
        {
            var scopes = Scopes.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (Scopes.Length > 1000 || !scopes.Contains("openid") || scopes.Any(s => s.Any(c => c <= ' ' || c > '~' || c is '"' or '\\')))
                errors.Add("scopes", "scopes is a space-separated list of OAuth scopes that includes 'openid', e.g. 'openid email profile'.");
        }
    }

    /// <summary>Roles sent by an identity provider are the organisation's: a platform role would let it grant itself the platform.</summary>
    private static string? RoleError(string role) =>
        role.Length is 0 or > 100 ? "a role is a name of 1 to 100 characters."
        : Roles.IsPlatformRole(role) ? $"'{role}' is a platform role; map groups to organisation roles ({string.Join(", ", Roles.BuiltIn)}) or custom roles."
        : null;
}

public sealed record SsoResponse(
    string Issuer, string Audience, string? OrgClaim, string RolesClaim,
    string? ClientId, bool ClientSecretSet, string GroupsClaim, IReadOnlyDictionary<string, string> GroupRoles, string DefaultRole,
    bool JitProvisioning, string Scopes)
{
    public static SsoResponse From(SsoSettings s) => new(s.Issuer, s.Audience, s.OrgClaim, s.RolesClaim,
        s.Oidc?.ClientId, s.Oidc?.ProtectedClientSecret is not null,
        s.Oidc?.GroupsClaim ?? OidcSignIn.DefaultGroupsClaim,
        new SortedDictionary<string, string>(s.Oidc?.GroupRoles.ToDictionary() ?? [], StringComparer.Ordinal),
        s.Oidc?.DefaultRole ?? OidcSignIn.DefaultDefaultRole, s.Oidc?.JitProvisioning ?? true, s.Oidc?.Scopes ?? OidcSignIn.DefaultScopes);
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
        OidcClientSecrets secrets, HttpContext http, CancellationToken ct)
    {
        var issuer = request.Issuer!.TrimEnd('/');
        if (jwt.Value.RequireHttpsMetadata && !issuer.StartsWith("https://", StringComparison.Ordinal))
            return Problems.Validation("issuer", "issuer must be an https:// URL (Auth:Jwt:RequireHttpsMetadata is on).");
        if (await grains.GetAsync(orgId, ct) is not { } grain) return Problems.OrganisationNotFound(orgId);
        if (await grain.RequireFeatureAsync(Features.Sso, "SSO") is { } missing) return missing;

        var before = await store.GetSsoAsync(orgId, ct);
        if (await UnknownRoleAsync(orgId, request, store, ct) is { } unknown) return unknown;
        var settings = new SsoSettings(orgId, issuer, request.Audience!, request.OrgClaim, request.RolesClaim ?? jwt.Value.RolesClaim,
            OidcFrom(orgId, request, before?.Oidc, secrets));
        var audit = new AuditRecord("sso.configured", $"organisations/{orgId}/sso",
            before is null ? null : JsonSerializer.Serialize(SsoResponse.From(before), AuditJsonOptions.Options),
            JsonSerializer.Serialize(SsoResponse.From(settings), AuditJsonOptions.Options));
        var result = await store.PutSsoAsync(settings, audit, http.ChangeContext(), ct);
        if (result.Status == WriteStatus.Conflict) return Problems.Conflict($"Issuer '{issuer}' is already the SSO issuer of another organisation.");
        await issuers.ReloadAsync(ct);
        return TypedResults.Ok(SsoResponse.From(settings));
    }

    /// <summary>
    /// OIDC sign-in from the request: none without <c>clientId</c> (the stored secret is dropped with it); a request
    /// without <c>clientSecret</c> keeps the stored one.
    /// </summary>
    private static OidcSignIn? OidcFrom(string orgId, SsoRequest request, OidcSignIn? stored, OidcClientSecrets secrets)
    {
        if (request.ClientId is null) return null;
        var secret = request.ClientSecret is { } clear ? secrets.Protect(orgId, clear) : stored?.ProtectedClientSecret;
        return new OidcSignIn(request.ClientId, secret, request.GroupsClaim ?? OidcSignIn.DefaultGroupsClaim,
            request.GroupRoles ?? [], request.DefaultRole ?? OidcSignIn.DefaultDefaultRole, request.JitProvisioning ?? true,
            string.Join(' ', (request.Scopes ?? OidcSignIn.DefaultScopes).Split(' ', StringSplitOptions.RemoveEmptyEntries).Distinct()));
    }

    /// <summary>Every role the settings hand out must exist: built in, or one of the organisation's custom roles.</summary>
    private static async Task<ValidationProblem?> UnknownRoleAsync(string orgId, SsoRequest request, IIdentityStore store, CancellationToken ct)
    {
        var named = (request.GroupRoles?.Values.AsEnumerable() ?? []).Append(request.DefaultRole ?? OidcSignIn.DefaultDefaultRole).Distinct().ToList();
        if (named.All(Roles.BuiltIn.Contains)) return null;
        var custom = (await store.ListRolesAsync(orgId, ct)).Select(r => r.Role).ToHashSet(StringComparer.Ordinal);
        var unknown = named.Where(r => !Roles.BuiltIn.Contains(r) && !custom.Contains(r)).ToList();
        return unknown.Count == 0 ? null : Problems.Validation(request.DefaultRole is { } d && unknown.Contains(d) ? "defaultRole" : "groupRoles",
            $"No role named {string.Join(", ", unknown.Select(r => $"'{r}'"))}: use {string.Join(", ", Roles.BuiltIn)} or a custom role of the organisation.");
    }
}

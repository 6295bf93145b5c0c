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

namespace Taskee.Api.Identity.Saml;

/// <param name="SpEntityId">Read-only (as are <paramref name="AcsUrl"/>, <paramref name="MetadataUrl"/>, <paramref name="Certificates"/>):
/// accepted and ignored, so what GET returns can be sent back.</param>
public sealed record SamlSettingsRequest(
    string? IdpEntityId, string? IdpSsoUrl, List<string>? IdpCertificates, string? EmailAttribute = null, string? RolesAttribute = null,
    Dictionary<string, string>? GroupRoles = null, string? DefaultRole = null, bool? AllowIdpInitiated = null, bool? JitProvisioning = null,
    string? SpEntityId = null, string? AcsUrl = null, string? MetadataUrl = null, JsonElement? Certificates = null) : IValidatable
{
    public const int MaxGroupRoles = 500;

    public void Validate(ValidationErrors errors)
    {
        if (IdpEntityId is not { Length: > 0 and <= 1024 } || string.IsNullOrWhiteSpace(IdpEntityId))
            errors.Add("idpEntityId", "idpEntityId is required: the identity provider's entity id (Issuer), up to 1024 characters.");
        if (!Uri.TryCreate(IdpSsoUrl, UriKind.Absolute, out var sso) || sso.Scheme is not ("https" or "http") || IdpSsoUrl!.Length > 2048)
            errors.Add("idpSsoUrl", "idpSsoUrl is required: the identity provider's SAML sign-in URL (HTTP-Redirect binding), e.g. https://idp.example.com/saml/sso.");
        if (IdpCertificates is not { Count: 1 or 2 })
            errors.Add("idpCertificates", "idpCertificates is required: one PEM certificate, or two while the identity provider rotates its signing certificate.");
        for (var i = 0; i < (IdpCertificates?.Count ?? 0); i++)
        {
            using var certificate = SamlCertificates.TryParse(IdpCertificates![i], out var error);
            if (error is not null) errors.Add($"idpCertificates[{i}]", $"idpCertificates[{i}] {error}");
        }
        if (EmailAttribute is { Length: 0 or > 256 }) errors.Add("emailAttribute", "emailAttribute, when given, is an attribute name of 1 to 256 characters; leave it out to take the NameID.");
        if (RolesAttribute is { Length: 0 or > 256 }) errors.Add("rolesAttribute", "rolesAttribute, when given, is an attribute name of 1 to 256 characters.");
        if (GroupRoles is { Count: > MaxGroupRoles }) errors.Add("groupRoles", $"groupRoles maps at most {MaxGroupRoles} groups.");
        foreach (var (group, _) in GroupRoles ?? [])
            if (group is not { Length: > 0 and <= 256 }) errors.Add("groupRoles", "groupRoles keys are group names of 1 to 256 characters.");
    }
}

public sealed record SamlSettingsResponse(
    string IdpEntityId, string IdpSsoUrl, IReadOnlyList<string> IdpCertificates, string? EmailAttribute, string? RolesAttribute,
    IReadOnlyDictionary<string, string> GroupRoles, string DefaultRole, bool AllowIdpInitiated, bool JitProvisioning,
    string SpEntityId, string AcsUrl, string MetadataUrl, IReadOnlyList<SamlCertificateInfo> Certificates)
{
    public static SamlSettingsResponse From(SamlSettings s, SamlServiceProvider sp) => new(
        s.IdpEntityId, s.IdpSsoUrl, s.IdpCertificates, s.EmailAttribute, s.RolesAttribute,
        new SortedDictionary<string, string>(s.GroupRoles.ToDictionary(), StringComparer.Ordinal), s.DefaultRole, s.AllowIdpInitiated, s.JitProvisioning,
        sp.EntityId(s.OrgId), sp.AcsUrl(s.OrgId), sp.MetadataUrl(s.OrgId), s.IdpCertificates.Select(SamlCertificates.Describe).ToList());
}

/// <summary>An organisation's SAML identity provider (feature <c>sso</c>): who signs, where people sign in, how they become members.</summary>
public static class SamlSettingsEndpoints
{
    public static void MapSamlSettingsEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/v1/organisations/{orgId}/sso/saml").WithTags("SSO");
        group.MapGet("/", GetAsync).RequireAuthorization(Permissions.SsoRead).WithName("GetSamlSettings");
        group.MapPut("/", PutAsync).RequireAuthorization(Permissions.SsoWrite)
            .Validates<SamlSettingsRequest>().WithMetadata(new IdempotentMutationAttribute()).WithName("PutSamlSettings");
        group.MapDelete("/", DeleteAsync).RequireAuthorization(Permissions.SsoWrite)
            .WithMetadata(new IdempotentMutationAttribute()).WithName("DeleteSamlSettings");
    }

    public static async Task<Results<Ok<SamlSettingsResponse>, ProblemHttpResult>> GetAsync(
        string orgId, OrganisationGrains grains, ISamlStore store, SamlServiceProvider sp, CancellationToken ct)
    {
        if (await grains.GetAsync(orgId, ct) is null) return Problems.OrganisationNotFound(orgId);
        return await store.GetAsync(orgId, ct) is { } settings
            ? TypedResults.Ok(SamlSettingsResponse.From(settings, sp))
            : Problems.NotFound($"Organisation '{orgId}' has no SAML sign-in configured; PUT it first.");
    }

    public static async Task<Results<Ok<SamlSettingsResponse>, ValidationProblem, ProblemHttpResult>> PutAsync(
        string orgId, SamlSettingsRequest request, OrganisationGrains grains, ISamlStore store, IIdentityStore identity,
        SamlServiceProvider sp, IOptions<JwtOptions> jwt, HttpContext http, CancellationToken ct)
    {
        if (jwt.Value.RequireHttpsMetadata && !request.IdpSsoUrl!.StartsWith("https://", StringComparison.OrdinalIgnoreCase))
            return Problems.Validation("idpSsoUrl", "idpSsoUrl must be an https:// URL (Auth:Jwt:RequireHttpsMetadata is on).");
        if (await grains.GetAsync(orgId, ct) is not { } grain) return Problems.OrganisationNotFound(orgId);
        if (await grain.RequireFeatureAsync(Features.Sso, "SAML sign-in") is { } missing) return missing;

        var roles = Roles.BuiltIn.Concat((await identity.ListRolesAsync(orgId, ct)).Select(r => r.Role)).ToHashSet(StringComparer.Ordinal);
        var errors = new ValidationErrors();
        var defaultRole = request.DefaultRole ?? Roles.Member;
        if (!roles.Contains(defaultRole)) errors.Add("defaultRole", $"defaultRole '{defaultRole}' is not a role of this organisation; use one of: {string.Join(", ", roles.Order())}.");
        foreach (var (group, role) in request.GroupRoles ?? [])
            if (!roles.Contains(role)) errors.Add("groupRoles", $"groupRoles['{group}'] = '{role}' is not a role of this organisation; use one of: {string.Join(", ", roles.Order())}.");
        if (errors.Any) return TypedResults.ValidationProblem(errors.ToDictionary());

        var settings = new SamlSettings(orgId, request.IdpEntityId!.Trim(), request.IdpSsoUrl!, request.IdpCertificates!.Select(p => p.Trim()).ToList(),
            request.EmailAttribute, request.RolesAttribute, request.GroupRoles ?? [], defaultRole,
            request.AllowIdpInitiated ?? false, request.JitProvisioning ?? true);
        var before = await store.GetAsync(orgId, ct);
        var after = SamlSettingsResponse.From(settings, sp);
        var beforeJson = before is null ? null : AuditJson(SamlSettingsResponse.From(before, sp));
        var afterJson = AuditJson(after);
        // Sending back what GET returned changes nothing and records nothing.
        if (beforeJson == afterJson) return TypedResults.Ok(after);

        await store.PutAsync(settings, new AuditRecord("sso.saml.configured", $"organisations/{orgId}/sso/saml", beforeJson, afterJson), http.ChangeContext(), ct);
        return TypedResults.Ok(after);
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> DeleteAsync(
        string orgId, OrganisationGrains grains, ISamlStore store, SamlServiceProvider sp, HttpContext http, CancellationToken ct)
    {
        if (await grains.GetAsync(orgId, ct) is null) return Problems.OrganisationNotFound(orgId);
        var before = await store.GetAsync(orgId, ct);
        if (before is null) return Problems.NotFound($"Organisation '{orgId}' has no SAML sign-in configured.");
        var audit = new AuditRecord("sso.saml.removed", $"organisations/{orgId}/sso/saml", AuditJson(SamlSettingsResponse.From(before, sp)), null);
        return await store.DeleteAsync(orgId, audit, http.ChangeContext(), ct)
            ? TypedResults.NoContent()
            : Problems.NotFound($"Organisation '{orgId}' has no SAML sign-in configured.");
    }

    /// <summary>The audit trail records the certificates by thumbprint and expiry, not their whole PEM.</summary>
    private static string AuditJson(SamlSettingsResponse s) => JsonSerializer.Serialize(new
    {
        s.IdpEntityId, s.IdpSsoUrl, s.EmailAttribute, s.RolesAttribute, s.GroupRoles, s.DefaultRole, s.AllowIdpInitiated, s.JitProvisioning,
        Certificates = s.Certificates.Select(c => new { c.Thumbprint, c.NotAfter }),
    }, AuditJsonOptions.Options);
}

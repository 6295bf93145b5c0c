using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;
using Taskee.Api.Auth.Jwt;
using Taskee.Api.Identity.SignIn;
using Taskee.Api.Infrastructure;
using Taskee.Grains.Interfaces;
using Taskee.Grains.Storage;

namespace Taskee.Api.Identity.Oidc;

/// <summary>
/// OIDC sign-in of an organisation's people at its own identity provider (feature <c>sso</c>): <c>/login</c> checks
/// what it can explain (returnTo, settings, the provider's discovery document) and hands over to the organisation's
/// OpenIdConnect scheme, which redirects to the provider; <c>/callback</c> hands the provider's answer to that scheme.
/// </summary>
public static class OidcEndpoints
{
    public static void MapOidcEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/oidc/{orgId}").WithTags("OIDC sign-in").AllowAnonymous();
        group.MapGet("/login", LoginAsync).WithName("OidcLogin");
        group.MapGet("/callback", CallbackAsync).WithName("OidcCallback");
    }

    public static async Task<Results<ChallengeHttpResult, ProblemHttpResult>> LoginAsync(
        string orgId, string? returnTo, OrganisationGrains grains, IIdentityStore store, IssuerRegistry issuers, OidcSchemes schemes,
        OidcClientSecrets secrets, ILoggerFactory logs, CancellationToken ct)
    {
        if (returnTo is not null && !ReturnTo.IsSafe(returnTo))
            return Problems.BadRequest("Bad returnTo", "returnTo must be a path on this site, such as /console/tasks; another site or '//host' is not accepted.");
        if (await grains.GetAsync(orgId, ct) is not { } grain) return Problems.OrganisationNotFound(orgId);
        if (await grain.RequireFeatureAsync(Features.Sso, "OIDC sign-in") is { } missing) return missing;
        if (await store.GetSsoAsync(orgId, ct) is not { } sso)
            return Problems.NotFound($"Organisation '{orgId}' has no SSO configured: an admin sets issuer, audience, clientId and clientSecret with PUT /v1/organisations/{orgId}/sso.");
        if (sso.Oidc is not { } oidc)
            return Problems.NotFound($"Organisation '{orgId}' has an SSO issuer but no OIDC sign-in: an admin sets clientId (and clientSecret) with PUT /v1/organisations/{orgId}/sso.");
        var log = logs.CreateLogger(typeof(OidcEndpoints));
        if (oidc.ProtectedClientSecret is { } stored && secrets.TryUnprotect(orgId, stored) is null)
        {
            OidcLog.CannotStart(log, orgId, "the stored client secret cannot be unprotected");
            return Problems.Conflict($"The stored clientSecret of organisation '{orgId}' can no longer be read (the node's Data Protection keys changed): an admin sends it again with PUT /v1/organisations/{orgId}/sso.");
        }

        // Settings changed on another node and its notice has not arrived here yet: catch up before the redirect.
        if (schemes.ByScheme(OidcSchemes.SchemeOf(orgId)) != sso) await issuers.ReloadAsync(ct);
        if (issuers.BySsoIssuer(sso.Issuer) is not { } issuer || !schemes.Has(orgId))
            return Problems.ServiceUnavailable("The OIDC settings were just changed; try again in a moment.");
        try
        {
            var configuration = await issuer.Metadata.Manager.GetConfigurationAsync(ct);
            if (string.IsNullOrEmpty(configuration.AuthorizationEndpoint) || string.IsNullOrEmpty(configuration.TokenEndpoint))
            {
                OidcLog.CannotStart(log, orgId, "discovery names no authorization_endpoint or token_endpoint");
                return Problems.BadGateway($"The discovery document of issuer '{sso.Issuer}' names no authorization_endpoint or token_endpoint: the issuer does not offer sign-in with the authorization code flow.");
            }
        }
        catch (InvalidOperationException ex)
        {
            OidcLog.CannotStart(log, orgId, issuer.Metadata.LastError ?? ex.Message);
            return Problems.BadGateway($"The discovery document of issuer '{sso.Issuer}' cannot be read ({issuer.Metadata.DiscoveryAddress}); try again later, or have an admin check the issuer.");
        }

        return TypedResults.Challenge(new AuthenticationProperties { RedirectUri = returnTo ?? ReturnTo.Default }, [OidcSchemes.SchemeOf(orgId)]);
    }

    /// <summary>
    /// The provider's answer, handed to the organisation's scheme (the authentication middleware does not ask the OIDC
    /// schemes, see <see cref="OidcSchemeProvider"/>). When this node has no scheme for the organisation yet, its
    /// settings may have been made on another node a moment ago: it catches up first.
    /// </summary>
    public static async Task<Results<EmptyHttpResult, ProblemHttpResult>> CallbackAsync(
        string orgId, HttpContext http, IIdentityStore store, IssuerRegistry issuers, OidcSchemes schemes, IAuthenticationHandlerProvider handlers,
        CancellationToken ct)
    {
        if (!schemes.Has(orgId) && await store.GetSsoAsync(orgId, ct) is { Oidc: not null }) await issuers.ReloadAsync(ct);
        if (schemes.Has(orgId) && await handlers.GetHandlerAsync(http, OidcSchemes.SchemeOf(orgId)) is IAuthenticationRequestHandler handler
            && await handler.HandleRequestAsync())
            return TypedResults.Empty;
        return Problems.NotFound($"Organisation '{orgId}' has no OIDC sign-in: an admin sets clientId (and clientSecret) with PUT /v1/organisations/{orgId}/sso.");
    }
}

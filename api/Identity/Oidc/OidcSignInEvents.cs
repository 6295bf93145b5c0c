using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Taskee.Api.Auth.Jwt;
using Taskee.Api.Identity.Issuer;
using Taskee.Api.Identity.SignIn;
using Taskee.Api.Infrastructure;
using Taskee.Grains.Interfaces;

namespace Taskee.Api.Identity.Oidc;

/// <summary>
/// Where the OpenIdConnect handler hands over: a validated ID token becomes an <see cref="ExternalIdentity"/> and goes to
/// the sign-in service, which answers the browser; every failure the handler meets (provider error, bad or replayed
/// state, correlation, nonce, token) is answered as a 4xx with its reason in the log, never thrown (which would be a 500).
/// No cookie of our own: the handler's correlation and nonce cookies are all, and its ticket is never stored.
/// </summary>
public sealed class OidcSignInEvents(OidcSchemes schemes, OrganisationGrains grains, IOptions<IssuerOptions> issuer, ILogger<OidcSignInEvents> logger)
    : OpenIdConnectEvents
{
    /// <summary>The URL of this organisation's callback on every silo and behind any proxy.</summary>
    public static string RedirectUri(IssuerOptions issuer, string orgId) => issuer.UrlFor(OidcSchemes.CallbackPath(orgId));

    public override Task RedirectToIdentityProvider(RedirectContext context)
    {
        // The handler builds redirect_uri from the request's scheme and host, which behind a proxy or on another silo is
        // not the address registered at the provider. The public base URL is: the handler keeps what is set here for
        // the code redemption too, so both carry the same redirect_uri.
        context.ProtocolMessage.RedirectUri = RedirectUri(issuer.Value, OidcSchemes.OrgOf(context.Scheme.Name));
        return Task.CompletedTask;
    }

    public override Task TokenValidated(TokenValidatedContext context)
    {
        // For the ID token of the token endpoint the handler stops requiring a signature (OIDC Core 3.1.3.7 allows it
        // over TLS); Taskee checks it as it checks bearer tokens: signed, with one of the accepted algorithms.
        if (context.SecurityToken is not { } token || string.IsNullOrEmpty(token.RawSignature)
            || !JwtBearerIssuerOptions.Algorithms.Contains(token.Header.Alg))
            context.Fail("The ID token is not signed with RS256, ES256 or PS256.");
        return Task.CompletedTask;
    }

    public override async Task TicketReceived(TicketReceivedContext context)
    {
        var http = context.HttpContext;
        var orgId = OidcSchemes.OrgOf(context.Scheme.Name);
        if (schemes.ByScheme(context.Scheme.Name) is not { Oidc: { } oidc })
        {
            await RefuseAsync(context, orgId, "settings", StatusCodes.Status404NotFound, "OIDC sign-in is not configured",
                $"Organisation '{orgId}' no longer has OIDC sign-in; an admin sets it with PUT /v1/organisations/{orgId}/sso (clientId).");
            return;
        }
        if (await grains.GetAsync(orgId, http.RequestAborted) is not { } grain)
        {
            await RefuseAsync(context, orgId, "organisation", StatusCodes.Status404NotFound, "Not Found", $"Organisation '{orgId}' was not found.");
            return;
        }
        if (await grain.RequireFeatureAsync(Features.Sso, "OIDC sign-in") is { } missing)
        {
            await RefuseAsync(context, orgId, "feature", StatusCodes.Status403Forbidden, "Forbidden", missing.ProblemDetails.Detail!);
            return;
        }
        if (context.Properties?.GetTokenValue(OpenIdConnectParameterNames.IdToken) is not { } idToken)
        {
            await RefuseAsync(context, orgId, "token", StatusCodes.Status400BadRequest, "Sign-in failed", "The identity provider sent no ID token.");
            return;
        }

        var (identity, refusal) = OidcIdentity.Read(orgId, new JsonWebToken(idToken), oidc.GroupsClaim);
        if (identity is null)
        {
            await RefuseAsync(context, orgId, "identity", StatusCodes.Status403Forbidden, "Sign-in refused", refusal!);
            return;
        }

        var signIn = http.RequestServices.GetRequiredService<ISignInService>();
        var outcome = await signIn.SignInAsync(identity, new ProvisioningPolicy(oidc.JitProvisioning, oidc.DefaultRole, oidc.GroupRoles), http.RequestAborted);
        OidcLog.SignedIn(logger, orgId, outcome switch
        {
            SignInOutcome.SignedIn s => $"signed in as member {s.MemberId}",
            SignInOutcome.Refused r => $"refused ({r.Status}): {r.Detail}",
            _ => outcome.GetType().Name,
        });
        var returnTo = ReturnTo.IsSafe(context.ReturnUri) ? context.ReturnUri : ReturnTo.Default;
        await signIn.Complete(http, outcome, returnTo).ExecuteAsync(http);
        context.HandleResponse();
    }

    public override async Task AccessDenied(AccessDeniedContext context)
    {
        await RefuseAsync(context, OidcSchemes.OrgOf(context.Scheme.Name), "access_denied", StatusCodes.Status403Forbidden, "Sign-in refused",
            "The identity provider did not let you sign in (access_denied): ask your administrator to assign you to the Taskee application.");
    }

    public override async Task RemoteFailure(RemoteFailureContext context)
    {
        var orgId = OidcSchemes.OrgOf(context.Scheme.Name);
        var reason = context.Failure?.Message ?? "unknown";
        var (kind, detail) = reason switch
        {
            _ when reason.Contains("Correlation failed", StringComparison.Ordinal) || reason.Contains("state", StringComparison.OrdinalIgnoreCase) =>
                ("state", "This sign-in response does not belong to a sign-in this browser started, or it was already used."),
            _ when reason.Contains("nonce", StringComparison.OrdinalIgnoreCase) =>
                ("nonce", "The identity provider's ID token was not issued for this sign-in."),
            _ when context.Failure is OpenIdConnectProtocolException =>
                ("provider", "The identity provider refused to complete the sign-in."),
            _ => ("token", "The identity provider's ID token could not be verified (issuer, audience, signature or lifetime)."),
        };
        await RefuseAsync(context, orgId, kind, StatusCodes.Status400BadRequest, "Sign-in failed",
            $"{detail} Start again at {OidcSchemes.LoginPath(orgId)}; if it keeps failing, an admin should check the organisation's OIDC settings.");
    }

    private async Task RefuseAsync<TOptions>(HandleRequestContext<TOptions> context, string orgId, string kind, int status, string title, string detail)
        where TOptions : RemoteAuthenticationOptions
    {
        var failure = context switch
        {
            RemoteFailureContext f => f.Failure?.Message ?? detail,
            _ => detail,
        };
        OidcLog.Refused(logger, orgId, kind, failure);
        var signIn = context.HttpContext.RequestServices.GetRequiredService<ISignInService>();
        await signIn.Complete(context.HttpContext, new SignInOutcome.Refused(status, title, detail), null).ExecuteAsync(context.HttpContext);
        context.HandleResponse();
    }
}

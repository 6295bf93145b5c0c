using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Taskee.Api.Auth.Jwt;

namespace Taskee.Api.Identity.Oidc;

/// <summary>
/// The OpenIdConnect options of an organisation's scheme, built on its first use (and again after its settings change):
/// authorization code with PKCE (S256), the response in the query of <c>/oidc/{orgId}/callback</c> (whose absolute
/// address <see cref="OidcSignInEvents"/> takes from <c>Auth:Issuer:Url</c>), the issuer's
/// discovery document and keys through the very <see cref="ConfigurationManager{T}"/> its bearer tokens use, and the
/// ID token validated as bearer tokens are: issuer, audience (the client id), RS256/ES256/PS256, lifetime with
/// <c>Auth:Jwt:ClockSkew</c>.
/// </summary>
public sealed class OidcSchemeOptions(
    OidcSchemes schemes, IssuerRegistry issuers, OidcClientSecrets secrets, IOptions<JwtOptions> jwt, IHttpClientFactory http, TimeProvider clock)
    : IConfigureNamedOptions<OpenIdConnectOptions>
{
    public const string HttpClientName = "oidc";

    public void Configure(string? name, OpenIdConnectOptions options)
    {
        if (name is null || schemes.ByScheme(name) is not { Oidc: { } oidc } sso) return;
        var o = jwt.Value;
        var issuer = issuers.BySsoIssuer(sso.Issuer);

        options.ClientId = oidc.ClientId;
        // A secret that no longer opens (Data Protection keys lost) is left out: the provider then refuses the code
        // redemption, a 4xx for the person, and the login endpoint tells the admin to set the secret again.
        options.ClientSecret = oidc.ProtectedClientSecret is { } stored ? secrets.TryUnprotect(sso.OrgId, stored) : null;
        // Never null, even in the instant between a reload of the issuers and of the schemes: options that fail to
        // build would make the organisation's login and callback a 500 instead of an answer that explains.
        options.ConfigurationManager = (IConfigurationManager<OpenIdConnectConfiguration>?)issuer?.Metadata.Manager
            ?? new StaticConfigurationManager<OpenIdConnectConfiguration>(new OpenIdConnectConfiguration { Issuer = sso.Issuer });
        options.RequireHttpsMetadata = o.RequireHttpsMetadata;
        options.Backchannel = http.CreateClient(HttpClientName);
        options.TimeProvider = clock;

        options.CallbackPath = new PathString(OidcSchemes.CallbackPath(sso.OrgId));
        // Only the callback: no remote sign-out (front-channel) or sign-out callback at the handler's default paths.
        options.RemoteSignOutPath = PathString.Empty;
        options.SignedOutCallbackPath = PathString.Empty;
        options.ResponseType = OpenIdConnectResponseType.Code;
        options.ResponseMode = OpenIdConnectResponseMode.Query;
        options.UsePkce = true;
        options.Scope.Clear();
        foreach (var scope in oidc.Scopes.Split(' ', StringSplitOptions.RemoveEmptyEntries)) options.Scope.Add(scope);
        options.GetClaimsFromUserInfoEndpoint = false;
        options.MapInboundClaims = false;
        // The ID token rides in the ticket to OidcSignInEvents, which reads its claims as sent; the ticket is never stored.
        options.SaveTokens = true;
        options.DisableTelemetry = true;
        options.EventsType = typeof(OidcSignInEvents);

        // The handler lifts RequireSignedTokens for the token endpoint's ID token: OidcSignInEvents puts the demand back.
        options.TokenValidationParameters = JwtBearerIssuerOptions.Parameters(issuer?.Metadata.ExpectedIssuer ?? sso.Issuer, oidc.ClientId, o.ClockSkew);
        options.TokenValidationParameters.NameClaimType = "sub";
    }

    public void Configure(OpenIdConnectOptions options) => Configure(Microsoft.Extensions.Options.Options.DefaultName, options);
}

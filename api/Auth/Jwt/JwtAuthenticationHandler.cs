using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Taskee.Api.Auth.Jwt;

/// <summary>
/// Authenticates <c>Authorization: Bearer &lt;JWT&gt;</c> from a trusted issuer: signature (RS256, ES256 or PS256
/// only, so <c>none</c> and HS256-with-the-public-key are refused), issuer, audience and lifetime always checked,
/// <c>typ: at+jwt</c> when configured. A token of an organisation's SSO issuer acts on that organisation only.
/// </summary>
public sealed class JwtAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> schemeOptions,
    ILoggerFactory logger,
    UrlEncoder encoder,
    IssuerRegistry issuers,
    IdentityCache identity,
    IOptions<JwtOptions> jwtOptions)
    : AuthenticationHandler<AuthenticationSchemeOptions>(schemeOptions, logger, encoder)
{
    public const string SchemeName = "Jwt";

    private static readonly string[] Algorithms = [SecurityAlgorithms.RsaSha256, SecurityAlgorithms.EcdsaSha256, SecurityAlgorithms.RsaSsaPssSha256];
    private static readonly JsonWebTokenHandler Tokens = new() { MapInboundClaims = false };

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var header = Request.Headers.Authorization.ToString();
        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)) return AuthenticateResult.NoResult();
        var token = header["Bearer ".Length..].Trim();
        if (token.StartsWith(ApiKeyToken.Prefix, StringComparison.Ordinal)) return AuthenticateResult.NoResult();

        JsonWebToken parsed;
        try
        {
            parsed = Tokens.ReadJsonWebToken(token);
        }
        catch (ArgumentException)
        {
            return AuthenticateResult.Fail("The bearer token is neither an API key nor a JWT.");
        }

        if (await issuers.FindAsync(parsed.Issuer, Context.RequestAborted) is not { } trusted)
            return AuthenticateResult.Fail($"Tokens of issuer '{parsed.Issuer}' are not trusted.");

        var keys = await trusted.Keys.KeysForAsync(parsed.Kid, Context.RequestAborted);
        var o = jwtOptions.Value;
        var parameters = new TokenValidationParameters
        {
            ValidIssuer = trusted.Keys.Issuer,
            ValidAudience = trusted.Audience,
            IssuerSigningKeys = keys.Select(k => k.Key),
            ValidAlgorithms = Algorithms,
            RequireSignedTokens = true,
            TryAllIssuerSigningKeys = parsed.Kid is null, // a token that names its key is checked against that key only
            RequireExpirationTime = true,
            ValidateLifetime = true,
            ClockSkew = o.ClockSkew,
            ValidTypes = o.RequireAccessTokenType ? ["at+jwt", "application/at+jwt"] : null,
        };
        var result = await Tokens.ValidateTokenAsync(token, parameters);
        if (!result.IsValid) return AuthenticateResult.Fail($"The token is not valid: {result.Exception?.Message}");

        var claims = (JsonWebToken)result.SecurityToken;
        var subject = claims.Subject ?? "unknown";
        var roles = ReadRoles(claims, trusted.RolesClaim);
        string? orgId;
        if (trusted.Sso is { } sso)
        {
            // An organisation's own issuer speaks for that organisation and no other.
            orgId = sso.OrgId;
            if (sso.OrgClaim is { } orgClaim && claims.TryGetPayloadValue<string>(orgClaim, out var claimed) && claimed != orgId)
                return AuthenticateResult.Fail("The token's organisation claim does not match its issuer's organisation.");
        }
        else
        {
            orgId = claims.TryGetPayloadValue<string>(trusted.OrgClaim ?? o.OrgClaim, out var claimed) && !string.IsNullOrEmpty(claimed) ? claimed : null;
        }

        HashSet<string> permissions;
        if (orgId is null)
        {
            permissions = Roles.Expand(roles.Where(Roles.IsPlatformRole));
            if (permissions.Count == 0) return AuthenticateResult.Fail("The token names no organisation and no platform role.");
        }
        else
        {
            permissions = Roles.Expand(roles.Where(r => !Roles.IsPlatformRole(r)), await identity.CustomRolesAsync(orgId, Context.RequestAborted));
        }

        var caller = new Caller(Caller.UserKind, subject, orgId, permissions);
        return AuthenticateResult.Success(new AuthenticationTicket(caller.ToPrincipal(SchemeName), SchemeName));
    }

    /// <summary>Roles as a string ("admin" or "admin billing") or an array of strings.</summary>
    private static IReadOnlyList<string> ReadRoles(JsonWebToken token, string claim)
    {
        if (token.TryGetPayloadValue<List<string>>(claim, out var many) && many is not null)
            return many.SelectMany(r => r.Split(' ', StringSplitOptions.RemoveEmptyEntries)).ToList();
        return token.TryGetPayloadValue<string>(claim, out var single) && single is not null
            ? single.Split(' ', StringSplitOptions.RemoveEmptyEntries)
            : [];
    }
}

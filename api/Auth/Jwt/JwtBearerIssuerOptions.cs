using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;

namespace Taskee.Api.Auth.Jwt;

/// <summary>
/// The JwtBearer options of each issuer's scheme, built on first use of the scheme (and again after its settings change):
/// its ConfigurationManager, issuer and audience, RS256/ES256/PS256 only (so <c>none</c> and HS256-with-the-public-key are
/// refused), lifetime with <c>Auth:Jwt:ClockSkew</c>, <c>typ: at+jwt</c> when configured.
/// </summary>
public sealed class JwtBearerIssuerOptions(IssuerRegistry issuers, IOptions<JwtOptions> jwt) : IConfigureNamedOptions<JwtBearerOptions>
{
    public static readonly string[] Algorithms = [SecurityAlgorithms.RsaSha256, SecurityAlgorithms.EcdsaSha256, SecurityAlgorithms.RsaSsaPssSha256];

    public void Configure(string? name, JwtBearerOptions options)
    {
        var trusted = name is null ? null : issuers.ByScheme(name);
        if (trusted is null && name != IssuerRegistry.PlatformScheme) return;
        var o = jwt.Value;
        options.EventsType = typeof(JwtCallerEvents);
        options.MapInboundClaims = false;
        options.ConfigurationManager = trusted?.Metadata.Manager; // none: no platform issuer, every token is refused
        options.TokenValidationParameters = Parameters(trusted?.Metadata.ExpectedIssuer, trusted?.Audience, o.ClockSkew);
        options.TokenValidationParameters.ValidTypes = o.RequireAccessTokenType ? ["at+jwt", "application/at+jwt"] : null;
    }

    /// <summary>How every token of an issuer is checked, bearer token or OIDC ID token alike.</summary>
    public static TokenValidationParameters Parameters(string? issuer, string? audience, TimeSpan clockSkew) => new()
    {
        ValidIssuer = issuer,
        ValidAudience = audience,
        ValidateAudience = true,
        ValidAlgorithms = Algorithms,
        RequireSignedTokens = true,
        RequireExpirationTime = true,
        ValidateLifetime = true,
        ClockSkew = clockSkew,
        // A token that names its key is checked against that key only; one without a kid against every key.
        TryAllIssuerSigningKeys = false,
        IssuerSigningKeyResolverUsingConfiguration = (_, _, kid, parameters, configuration) =>
        {
            var keys = (configuration?.SigningKeys ?? []).Concat(parameters.IssuerSigningKeys ?? []);
            return kid is null ? keys : keys.Where(k => k.KeyId == kid);
        },
    };

    public void Configure(JwtBearerOptions options) => Configure(Microsoft.Extensions.Options.Options.DefaultName, options);
}

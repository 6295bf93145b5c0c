using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;

namespace Taskee.Api.Auth.Jwt;

/// <summary>Configuration section <c>Auth:Jwt</c>: the platform's token issuer and how keys are refreshed.</summary>
public sealed class JwtOptions
{
    public const string Section = "Auth:Jwt";

    /// <summary>The issuer; its discovery document is at <c>{Authority}/.well-known/openid-configuration</c>.</summary>
    public string? Authority { get; set; }

    /// <summary>The discovery document's address, when it is not under <see cref="Authority"/>.</summary>
    public string? MetadataAddress { get; set; }

    public string? Audience { get; set; }

    /// <summary>Refuse discovery and JWKS over plain HTTP. Turn off only for a loopback IdP in development.</summary>
    public bool RequireHttpsMetadata { get; set; } = true;

    public string OrgClaim { get; set; } = "org_id";

    public string RolesClaim { get; set; } = "roles";

    /// <summary>Require <c>typ: at+jwt</c> (RFC 9068), so an ID token is never taken for an access token.</summary>
    public bool RequireAccessTokenType { get; set; }

    public TimeSpan ClockSkew { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Keys are re-read on this schedule (ConfigurationManager's AutomaticRefreshInterval; it adds a little jitter).</summary>
    public TimeSpan RefreshInterval { get; set; } = TimeSpan.FromHours(1);

    /// <summary>At most one refresh per issuer in this time, however many unknown key ids arrive (ConfigurationManager's RefreshInterval).</summary>
    public TimeSpan RefreshMinInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Alert when an issuer's keys could not be refreshed for this long (the last good keys keep working).</summary>
    public TimeSpan StaleAfter { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Alert when a key (with a known expiry) expires within this time.</summary>
    public TimeSpan ExpiryWarning { get; set; } = TimeSpan.FromDays(7);

    public bool PlatformIssuerConfigured => !string.IsNullOrWhiteSpace(Authority) || !string.IsNullOrWhiteSpace(MetadataAddress);

    public string? DiscoveryAddress => !string.IsNullOrWhiteSpace(MetadataAddress)
        ? MetadataAddress
        : string.IsNullOrWhiteSpace(Authority) ? null : $"{Authority.TrimEnd('/')}/.well-known/openid-configuration";
}

public sealed class JwtOptionsValidator : IValidateOptions<JwtOptions>
{
    public ValidateOptionsResult Validate(string? name, JwtOptions o)
    {
        var failures = new List<string>();
        if (o.PlatformIssuerConfigured)
        {
            if (string.IsNullOrWhiteSpace(o.Audience)) failures.Add("Auth:Jwt:Audience is required when Auth:Jwt:Authority or MetadataAddress is set.");
            if (!Uri.TryCreate(o.DiscoveryAddress, UriKind.Absolute, out var uri))
                failures.Add("Auth:Jwt:Authority / MetadataAddress must be an absolute URL.");
            else if (o.RequireHttpsMetadata && uri.Scheme != Uri.UriSchemeHttps)
                failures.Add($"Auth:Jwt metadata '{uri}' is not HTTPS; use HTTPS, or set Auth:Jwt:RequireHttpsMetadata=false for a loopback IdP in development.");
        }
        if (o.ClockSkew < TimeSpan.Zero || o.ClockSkew > TimeSpan.FromSeconds(60)) failures.Add("Auth:Jwt:ClockSkew must be between 00:00:00 and 00:01:00.");
        // The floors are IdentityModel's ConfigurationManager's, which refuses shorter intervals.
        if (o.RefreshInterval < ConfigurationManager<OpenIdConnectConfiguration>.MinimumAutomaticRefreshInterval)
            failures.Add("Auth:Jwt:RefreshInterval must be at least 00:05:00.");
        if (o.RefreshMinInterval < ConfigurationManager<OpenIdConnectConfiguration>.MinimumRefreshInterval || o.RefreshMinInterval > o.RefreshInterval)
            failures.Add("Auth:Jwt:RefreshMinInterval must be at least 00:00:01 and at most Auth:Jwt:RefreshInterval.");
        if (o.StaleAfter <= TimeSpan.Zero || o.ExpiryWarning < TimeSpan.Zero) failures.Add("Auth:Jwt:StaleAfter must be positive and Auth:Jwt:ExpiryWarning not negative.");
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}

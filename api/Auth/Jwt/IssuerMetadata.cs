using System.Globalization;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Microsoft.IdentityModel.Tokens;

namespace Taskee.Api.Auth.Jwt;

/// <summary>One signing key as an issuer published it, with its expiry when the JWK says (x5c certificate or "exp").</summary>
public sealed record IssuerKey(string? Kid, string? Alg, string Kty, DateTimeOffset? ExpiresAt);

/// <summary>
/// The discovery document and keys of one issuer, held by IdentityModel's <see cref="ConfigurationManager{T}"/>:
/// re-read every <see cref="JwtOptions.RefreshInterval"/>, on an unknown key id at most once per
/// <see cref="JwtOptions.RefreshMinInterval"/>, and kept (last known good) while the issuer cannot be reached.
/// It sits between the manager and the document retriever only to see each attempt, for GET /v1/auth/status and the alerts.
/// </summary>
public sealed class IssuerMetadata : IConfigurationRetriever<OpenIdConnectConfiguration>
{
    private readonly TimeProvider _clock;
    private readonly TimeSpan _staleAfter;
    private volatile OpenIdConnectConfiguration? _current;
    private DateTimeOffset? _firstAttempt;
    private long _refreshes;

    /// <param name="expectedIssuer">The issuer the document must name; null to take the document's (platform issuer given by MetadataAddress only).</param>
    public IssuerMetadata(string? expectedIssuer, string discoveryAddress, HttpClient http, JwtOptions options, TimeProvider clock)
    {
        ExpectedIssuer = expectedIssuer;
        DiscoveryAddress = discoveryAddress;
        _clock = clock;
        _staleAfter = options.StaleAfter;
        Manager = new ConfigurationManager<OpenIdConnectConfiguration>(discoveryAddress, this,
            new HttpDocumentRetriever(http) { RequireHttps = options.RequireHttpsMetadata })
        {
            AutomaticRefreshInterval = options.RefreshInterval,
            RefreshInterval = options.RefreshMinInterval,
        };
    }

    public ConfigurationManager<OpenIdConnectConfiguration> Manager { get; }
    public string? ExpectedIssuer { get; }
    public string DiscoveryAddress { get; }
    public string Issuer => ExpectedIssuer ?? _current?.Issuer ?? DiscoveryAddress;
    public DateTimeOffset? LastSuccess { get; private set; }
    public DateTimeOffset? LastFailure { get; private set; }
    public string? LastError { get; private set; }
    public long Refreshes => Interlocked.Read(ref _refreshes);

    public IReadOnlyList<IssuerKey> Keys => _current?.JsonWebKeySet?.Keys.Where(k => k.Use is null or "sig")
        .Select(k => new IssuerKey(k.Kid, k.Alg, k.Kty, Expiry(k))).ToList() ?? [];

    /// <summary>Failing since before <see cref="JwtOptions.StaleAfter"/> ago (or never succeeded for that long).</summary>
    public bool IsStale(DateTimeOffset now) =>
        LastFailure is { } failed && (LastSuccess is null || failed > LastSuccess) && now - (LastSuccess ?? _firstAttempt ?? now) > _staleAfter;

    async Task<OpenIdConnectConfiguration> IConfigurationRetriever<OpenIdConnectConfiguration>.GetConfigurationAsync(
        string address, IDocumentRetriever retriever, CancellationToken cancel)
    {
        _firstAttempt ??= _clock.GetUtcNow();
        Interlocked.Increment(ref _refreshes);
        try
        {
            var configuration = await OpenIdConnectConfigurationRetriever.GetAsync(address, retriever, cancel);
            if (ExpectedIssuer is { } expected && !SameIssuer(configuration.Issuer, expected))
                throw new InvalidOperationException($"The discovery document names issuer '{configuration.Issuer}', not '{expected}'.");
            _current = configuration;
            LastSuccess = _clock.GetUtcNow();
            LastError = null;
            return configuration;
        }
        catch (Exception ex)
        {
            // The manager keeps the last good configuration; this only records why the refresh failed.
            LastFailure = _clock.GetUtcNow();
            LastError = ex.InnerException?.Message ?? ex.Message;
            throw;
        }
    }

    /// <summary>Issuers compared without a trailing slash, which some providers (Auth0) put in <c>iss</c>.</summary>
    public static bool SameIssuer(string? a, string? b) =>
        a is not null && b is not null && string.Equals(a.TrimEnd('/'), b.TrimEnd('/'), StringComparison.Ordinal);

    private static DateTimeOffset? Expiry(JsonWebKey key)
    {
        if (key.AdditionalData.TryGetValue("exp", out var exp) && exp switch
            {
                JsonElement { ValueKind: JsonValueKind.Number } json => json.GetInt64(),
                IConvertible number and not string => Convert.ToInt64(number, CultureInfo.InvariantCulture),
                _ => (long?)null,
            } is { } seconds)
            return DateTimeOffset.FromUnixTimeSeconds(seconds);
        if (key.X5c.Count == 0) return null;
        using var certificate = X509CertificateLoader.LoadCertificate(Convert.FromBase64String(key.X5c[0]));
        return new DateTimeOffset(certificate.NotAfter.ToUniversalTime());
    }
}

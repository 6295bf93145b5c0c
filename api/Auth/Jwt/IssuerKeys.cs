using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using Microsoft.IdentityModel.Tokens;

namespace Taskee.Api.Auth.Jwt;

/// <summary>One signing key as an issuer published it, with its expiry when the JWK says (x5c certificate or "exp").</summary>
public sealed record IssuerKey(string? Kid, string? Alg, string Kty, DateTimeOffset? ExpiresAt, SecurityKey Key);

/// <summary>
/// The signing keys of one issuer, from its discovery document and JWKS. Refreshed on a schedule and when a
/// token names an unknown key id, at most once per <see cref="JwtOptions.RefreshMinInterval"/>. A failed refresh
/// keeps the last good keys. Its status feeds GET /v1/auth/status and the alerts.
/// </summary>
public sealed class IssuerKeys(string issuer, string discoveryAddress, bool requireHttps, HttpClient http, TimeProvider clock, JwtOptions options)
{
    private readonly SemaphoreSlim _refresh = new(1, 1);
    private volatile IReadOnlyList<IssuerKey> _keys = [];
    private DateTimeOffset? _lastAttempt;
    private long _refreshes;

    public string Issuer { get; } = issuer;
    public string DiscoveryAddress { get; } = discoveryAddress;
    public IReadOnlyList<IssuerKey> Keys => _keys;
    public DateTimeOffset? LastSuccess { get; private set; }
    public DateTimeOffset? LastFailure { get; private set; }
    public string? LastError { get; private set; }
    public long Refreshes => Interlocked.Read(ref _refreshes);

    /// <summary>Failing since before <see cref="JwtOptions.StaleAfter"/> ago (or never succeeded for that long).</summary>
    public bool IsStale(DateTimeOffset now) =>
        LastFailure is { } failed && (LastSuccess is null || failed > LastSuccess) && now - (LastSuccess ?? _firstAttempt ?? now) > options.StaleAfter;

    private DateTimeOffset? _firstAttempt;

    /// <summary>The keys to validate a token with <paramref name="kid"/>; an unknown kid triggers a refresh, rate-limited.</summary>
    public async ValueTask<IReadOnlyList<IssuerKey>> KeysForAsync(string? kid, CancellationToken ct)
    {
        var keys = _keys;
        if (kid is not null && keys.Any(k => k.Kid == kid)) return keys;
        if (keys.Count > 0 && kid is null) return keys;
        await RefreshAsync(force: false, ct);
        return _keys;
    }

    /// <summary>Re-reads the keys; unless <paramref name="force"/>, not again within RefreshMinInterval.</summary>
    public async Task RefreshAsync(bool force, CancellationToken ct)
    {
        await _refresh.WaitAsync(ct);
        try
        {
            var now = clock.GetUtcNow();
            _firstAttempt ??= now;
            if (!force && _lastAttempt is { } last && now - last < options.RefreshMinInterval) return;
            _lastAttempt = now;
            Interlocked.Increment(ref _refreshes);
            try
            {
                _keys = await FetchAsync(ct);
                LastSuccess = clock.GetUtcNow();
                LastError = null;
            }
            catch (Exception ex) when (ex is HttpRequestException or JsonException or InvalidOperationException or TaskCanceledException or ArgumentException)
            {
                LastFailure = clock.GetUtcNow();
                LastError = ex.Message; // the last good keys stay in use
            }
        }
        finally
        {
            _refresh.Release();
        }
    }

    private async Task<IReadOnlyList<IssuerKey>> FetchAsync(CancellationToken ct)
    {
        using var discovery = JsonDocument.Parse(await GetAsync(DiscoveryAddress, ct));
        var advertised = discovery.RootElement.TryGetProperty("issuer", out var i) ? i.GetString() : null;
        if (advertised != Issuer) throw new InvalidOperationException($"The discovery document names issuer '{advertised}', not '{Issuer}'.");
        var jwksUri = discovery.RootElement.GetProperty("jwks_uri").GetString() ?? throw new InvalidOperationException("The discovery document has no jwks_uri.");

        var json = await GetAsync(jwksUri, ct);
        var set = new JsonWebKeySet(json);
        using var raw = JsonDocument.Parse(json);
        var expiries = raw.RootElement.GetProperty("keys").EnumerateArray()
            .Select(k => (Kid: k.TryGetProperty("kid", out var kid) ? kid.GetString() : null, Exp: k.TryGetProperty("exp", out var exp) && exp.TryGetInt64(out var e) ? DateTimeOffset.FromUnixTimeSeconds(e) : (DateTimeOffset?)null))
            .ToList();

        return set.Keys.Where(k => k.Use is null or "sig").Select(k => new IssuerKey(k.Kid, k.Alg, k.Kty,
            expiries.FirstOrDefault(e => e.Kid == k.Kid).Exp ?? CertificateExpiry(k), k)).ToList();
    }

    private async Task<string> GetAsync(string address, CancellationToken ct)
    {
        var uri = new Uri(address);
        if (requireHttps && uri.Scheme != Uri.UriSchemeHttps) throw new InvalidOperationException($"'{address}' is not HTTPS.");
        using var response = await http.GetAsync(uri, ct);
        if (!response.IsSuccessStatusCode) throw new HttpRequestException($"GET {address} answered {(int)response.StatusCode}.");
        return await response.Content.ReadAsStringAsync(ct);
    }

    private static DateTimeOffset? CertificateExpiry(JsonWebKey key)
    {
        if (key.X5c.Count == 0) return null;
        using var certificate = X509CertificateLoader.LoadCertificate(Convert.FromBase64String(key.X5c[0]));
        return new DateTimeOffset(certificate.NotAfter.ToUniversalTime());
    }
}

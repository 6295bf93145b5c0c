using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using Taskee.Grains.Storage;

namespace Taskee.Api.Auth.Jwt;

/// <summary>A trusted issuer: the platform's (from configuration) or an organisation's SSO issuer.</summary>
/// <param name="Sso">The organisation's SSO settings; null for the platform issuer.</param>
public sealed record TrustedIssuer(IssuerKeys Keys, string Audience, string? OrgClaim, string RolesClaim, SsoSettings? Sso);

/// <summary>Every issuer this node trusts, by issuer name, with its keys. SSO issuers reload when their settings change.</summary>
public sealed class IssuerRegistry(IOptions<JwtOptions> options, IIdentityStore identity, IHttpClientFactory http, TimeProvider clock)
{
    public const string HttpClientName = "jwks";

    private readonly ConcurrentDictionary<string, TrustedIssuer> _issuers = new(StringComparer.Ordinal);
    private volatile bool _loaded;

    public IEnumerable<TrustedIssuer> All => _issuers.Values;

    public async ValueTask<TrustedIssuer?> FindAsync(string issuer, CancellationToken ct)
    {
        if (!_loaded) await ReloadAsync(ct);
        return _issuers.GetValueOrDefault(issuer);
    }

    /// <summary>Re-reads SSO settings; keeps the keys of issuers that did not change.</summary>
    public async Task ReloadAsync(CancellationToken ct)
    {
        var o = options.Value;
        var wanted = new Dictionary<string, (string Discovery, string Audience, string? OrgClaim, string RolesClaim, SsoSettings? Sso)>(StringComparer.Ordinal);
        if (o.PlatformIssuerConfigured)
        {
            var platformIssuer = o.Authority?.TrimEnd('/') ?? await DiscoverIssuerNameAsync(o.DiscoveryAddress!, ct);
            wanted[platformIssuer] = (o.DiscoveryAddress!, o.Audience!, o.OrgClaim, o.RolesClaim, null);
        }
        foreach (var sso in await identity.ListSsoAsync(ct))
        {
            wanted[sso.Issuer] = ($"{sso.Issuer.TrimEnd('/')}/.well-known/openid-configuration", sso.Audience, sso.OrgClaim, sso.RolesClaim, sso);
        }

        foreach (var stale in _issuers.Keys.Where(k => !wanted.ContainsKey(k)).ToList()) _issuers.TryRemove(stale, out _);
        foreach (var (issuer, w) in wanted)
        {
            if (_issuers.TryGetValue(issuer, out var existing) && existing.Keys.DiscoveryAddress == w.Discovery)
            {
                _issuers[issuer] = existing with { Audience = w.Audience, OrgClaim = w.OrgClaim, RolesClaim = w.RolesClaim, Sso = w.Sso };
                continue;
            }
            var keys = new IssuerKeys(issuer, w.Discovery, o.RequireHttpsMetadata, http.CreateClient(HttpClientName), clock, o);
            _issuers[issuer] = new TrustedIssuer(keys, w.Audience, w.OrgClaim, w.RolesClaim, w.Sso);
        }
        _loaded = true;
    }

    /// <summary>With only a MetadataAddress configured, the issuer name comes from the document itself.</summary>
    private async Task<string> DiscoverIssuerNameAsync(string discovery, CancellationToken ct)
    {
        using var document = System.Text.Json.JsonDocument.Parse(await http.CreateClient(HttpClientName).GetStringAsync(discovery, ct));
        return document.RootElement.GetProperty("issuer").GetString()!;
    }
}

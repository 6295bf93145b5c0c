using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Taskee.Api.Identity.Issuer;
using Taskee.Grains.Storage;

namespace Taskee.Api.Auth.Jwt;

/// <summary>A trusted issuer: the platform's (from configuration) or an organisation's SSO issuer, and its JwtBearer scheme.</summary>
/// <param name="Sso">The organisation's SSO settings; null for the platform issuer.</param>
public sealed record TrustedIssuer(string Scheme, IssuerMetadata Metadata, string? Audience, string? OrgClaim, string RolesClaim, SsoSettings? Sso);

/// <summary>Told after each reload with every organisation's SSO settings, so what else is built on them (OIDC sign-in) follows.</summary>
public interface ISsoSettingsListener
{
    void SsoReloaded(IReadOnlyCollection<SsoSettings> settings);
}

/// <summary>
/// Every issuer this node trusts. The platform issuer is the static scheme <see cref="PlatformScheme"/>; each SSO issuer
/// gets a JwtBearer scheme of its own, added, changed and removed at run time as the organisations' settings change
/// (a changed issuer's options are rebuilt; its metadata and keys are kept when its discovery address is the same).
/// </summary>
public sealed class IssuerRegistry
{
    public const string HttpClientName = "jwks";
    public const string PlatformScheme = "Jwt";
    private const string SsoSchemePrefix = "Jwt:";

    private static readonly JsonWebTokenHandler Tokens = new();

    private readonly IOptions<JwtOptions> _options;
    private readonly IIdentityStore _identity;
    private readonly IHttpClientFactory _http;
    private readonly TimeProvider _clock;
    private readonly IAuthenticationSchemeProvider _schemes;
    private readonly IOptionsMonitorCache<JwtBearerOptions> _schemeOptions;
    private readonly IReadOnlyList<ISsoSettingsListener> _listeners;
    private readonly SemaphoreSlim _reload = new(1, 1);
    private volatile IReadOnlyDictionary<string, TrustedIssuer> _sso = new Dictionary<string, TrustedIssuer>();

    private readonly string _taskeeIssuer;

    public IssuerRegistry(IOptions<JwtOptions> options, IIdentityStore identity, IHttpClientFactory http, TimeProvider clock,
        IAuthenticationSchemeProvider schemes, IOptionsMonitorCache<JwtBearerOptions> schemeOptions, IOptions<IssuerOptions> taskee,
        IEnumerable<ISsoSettingsListener> listeners)
    {
        (_options, _identity, _http, _clock, _schemes, _schemeOptions) = (options, identity, http, clock, schemes, schemeOptions);
        _taskeeIssuer = taskee.Value.Url;
        _listeners = listeners.ToList();
        var o = options.Value;
        if (o.PlatformIssuerConfigured)
            Platform = new TrustedIssuer(PlatformScheme, NewMetadata(o.Authority?.TrimEnd('/'), o.DiscoveryAddress!), o.Audience, o.OrgClaim, o.RolesClaim, null);
    }

    /// <summary>Null when no platform issuer is configured: its scheme then refuses every token.</summary>
    public TrustedIssuer? Platform { get; }

    public IEnumerable<TrustedIssuer> All => Platform is null ? _sso.Values : _sso.Values.Prepend(Platform);

    /// <summary>The issuer of a scheme: an SSO scheme is named after its issuer, so this is a lookup, not a scan.</summary>
    public TrustedIssuer? ByScheme(string scheme) =>
        scheme == PlatformScheme ? Platform
        : scheme.StartsWith(SsoSchemePrefix, StringComparison.Ordinal) && _sso.TryGetValue(scheme[SsoSchemePrefix.Length..], out var sso) ? sso
        : null;

    /// <summary>An organisation's SSO issuer by its issuer URL (with or without a trailing slash).</summary>
    public TrustedIssuer? BySsoIssuer(string issuer) => _sso.TryGetValue(issuer.TrimEnd('/'), out var sso) ? sso : null;

    /// <summary>
    /// The scheme for a bearer JWT, by its (not yet validated) <c>iss</c>: Taskee's own, an SSO issuer's, else the platform's,
    /// which refuses issuers it does not know. Only the scheme chosen validates the token.
    /// </summary>
    public string SchemeFor(string token)
    {
        if (!Tokens.CanReadToken(token)) return PlatformScheme;
        string issuer;
        try
        {
            issuer = Tokens.ReadJsonWebToken(token).Issuer;
        }
        catch (ArgumentException)
        {
            return PlatformScheme;
        }
        if (issuer == _taskeeIssuer) return TaskeeTokenScheme.Scheme; // Taskee's own tokens, validated against its local keys
        return _sso.TryGetValue(issuer.TrimEnd('/'), out var sso) ? sso.Scheme : PlatformScheme;
    }

    /// <summary>Re-reads SSO settings and brings the SSO schemes in line with them.</summary>
    public async Task ReloadAsync(CancellationToken ct)
    {
        await _reload.WaitAsync(ct);
        try
        {
            var o = _options.Value;
            var before = _sso;
            var after = new Dictionary<string, TrustedIssuer>(StringComparer.Ordinal);
            foreach (var sso in await _identity.ListSsoAsync(ct))
            {
                var issuer = sso.Issuer.TrimEnd('/');
                var discovery = $"{issuer}/.well-known/openid-configuration";
                var metadata = before.TryGetValue(issuer, out var existing) && existing.Metadata.DiscoveryAddress == discovery
                    ? existing.Metadata
                    : NewMetadata(issuer, discovery);
                after[issuer] = new TrustedIssuer(SsoSchemePrefix + issuer, metadata, sso.Audience, sso.OrgClaim, sso.RolesClaim, sso);
            }
            _sso = after;

            foreach (var (_, gone) in before.Where(b => !after.ContainsKey(b.Key)))
            {
                _schemes.RemoveScheme(gone.Scheme);
                _schemeOptions.TryRemove(gone.Scheme);
            }
            foreach (var (issuer, trusted) in after)
            {
                if (!before.TryGetValue(issuer, out var old))
                    _schemes.TryAddScheme(new AuthenticationScheme(trusted.Scheme, null, typeof(JwtBearerHandler)));
                if (old != trusted) _schemeOptions.TryRemove(trusted.Scheme); // rebuilt from the new settings on next use
            }
            var all = after.Values.Select(t => t.Sso!).ToList();
            foreach (var listener in _listeners) listener.SsoReloaded(all);
        }
        finally
        {
            _reload.Release();
        }
    }

    private IssuerMetadata NewMetadata(string? issuer, string discovery) =>
        new(issuer, discovery, _http.CreateClient(HttpClientName), _options.Value, _clock);
}

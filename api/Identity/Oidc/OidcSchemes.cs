using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.Extensions.Options;
using Taskee.Api.Auth.Jwt;
using Taskee.Grains.Storage;

namespace Taskee.Api.Identity.Oidc;

/// <summary>
/// One OpenID Connect scheme per organisation with OIDC sign-in (a <c>clientId</c> in its SSO settings), added, rebuilt
/// and removed at run time as the settings change, the way <see cref="IssuerRegistry"/> keeps the JwtBearer schemes.
/// A scheme's callback path is its organisation's, and its state and nonce are protected under its own name, so a
/// response meant for one organisation is never accepted by another's scheme.
/// </summary>
public sealed class OidcSchemes(IAuthenticationSchemeProvider schemes, IOptionsMonitorCache<OpenIdConnectOptions> schemeOptions) : ISsoSettingsListener
{
    private const string Prefix = "Oidc:";

    private readonly Lock _gate = new();
    private volatile IReadOnlyDictionary<string, SsoSettings> _byScheme = new Dictionary<string, SsoSettings>();

    public static string SchemeOf(string orgId) => Prefix + orgId;

    public static string OrgOf(string scheme) => scheme.StartsWith(Prefix, StringComparison.Ordinal) ? scheme[Prefix.Length..] : scheme;

    public static string LoginPath(string orgId) => $"/oidc/{orgId}/login";

    public static string CallbackPath(string orgId) => $"/oidc/{orgId}/callback";

    /// <summary>The settings behind a scheme; null when it is not (or no longer) an OIDC scheme.</summary>
    public SsoSettings? ByScheme(string scheme) => _byScheme.GetValueOrDefault(scheme);

    public bool Has(string orgId) => _byScheme.ContainsKey(SchemeOf(orgId));

    public void SsoReloaded(IReadOnlyCollection<SsoSettings> settings)
    {
        lock (_gate)
        {
            var before = _byScheme;
            var after = settings.Where(s => s.Oidc is not null).ToDictionary(s => SchemeOf(s.OrgId), StringComparer.Ordinal);
            _byScheme = after;
            foreach (var gone in before.Keys.Where(k => !after.ContainsKey(k)))
            {
                schemes.RemoveScheme(gone);
                schemeOptions.TryRemove(gone);
            }
            foreach (var (scheme, sso) in after)
            {
                if (!before.TryGetValue(scheme, out var old))
                    schemes.TryAddScheme(new AuthenticationScheme(scheme, $"OIDC sign-in of {sso.OrgId}", typeof(OpenIdConnectHandler)));
                if (old != sso) schemeOptions.TryRemove(scheme); // rebuilt from the new settings on next use
            }
        }
    }
}

using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace Taskee.Api.Identity.Issuer;

/// <summary>
/// Configuration section <c>Auth:Issuer</c>: Taskee as a token issuer. <see cref="Url"/> is also the node's public base
/// URL, from which the SAML and OIDC sign-ins build their ACS and callback addresses.
/// </summary>
public sealed class IssuerOptions
{
    public const string Section = "Auth:Issuer";

    /// <summary>Only ES256 (P-256): small keys and signatures, and every JWT library verifies it.</summary>
    public const string Algorithm = "ES256";

    /// <summary>
    /// How long a retired key stays published after the last token it signed expired: the default clock skew of
    /// IdentityModel's validators (5 min), so a product service with default settings never meets an unknown key.
    /// </summary>
    public static readonly TimeSpan RetiredKeyGrace = TimeSpan.FromMinutes(5);

    /// <summary>The issuer (<c>iss</c>) and public base URL, without a trailing slash; default the node's first URL in <c>Urls</c>.</summary>
    public string Url { get; set; } = "";

    public string Audience { get; set; } = "taskee-api";

    public TimeSpan AccessTokenLifetime { get; set; } = TimeSpan.FromMinutes(15);

    public TimeSpan RefreshTokenLifetime { get; set; } = TimeSpan.FromDays(30);

    public TimeSpan RotationInterval { get; set; } = TimeSpan.FromDays(30);

    /// <summary>
    /// Base64 of 32 random bytes: the AES-256-GCM key that encrypts Data Protection's key ring in the database. Without
    /// it the key ring is stored as plain XML (Data Protection warns at start-up); set it in production from a secret store.
    /// </summary>
    public string? KeyEncryptionKey { get; set; }

    /// <summary>How long a retired key stays in the JWKS after it stopped signing.</summary>
    public TimeSpan PublishRetiredFor => AccessTokenLifetime + RetiredKeyGrace;

    /// <summary>An absolute URL on this node for <paramref name="path"/> (<c>/saml/x/acs</c>).</summary>
    public string UrlFor(string path) => Url + (path.StartsWith('/') ? path : "/" + path);
}

/// <summary>Fills the default issuer URL from the node's first <c>Urls</c> entry (wildcard hosts become localhost).</summary>
public sealed class IssuerOptionsDefaults(IConfiguration configuration) : IPostConfigureOptions<IssuerOptions>
{
    public const string Fallback = "http://localhost:5000";

    public void PostConfigure(string? name, IssuerOptions options)
    {
        if (string.IsNullOrWhiteSpace(options.Url))
        {
            var first = (configuration["urls"] ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault();
            options.Url = first is null ? Fallback : first.Replace("://+", "://localhost").Replace("://*", "://localhost").Replace("://0.0.0.0", "://localhost").Replace("://[::]", "://localhost");
        }
        options.Url = options.Url.TrimEnd('/');
    }
}

public sealed class IssuerOptionsValidator : IValidateOptions<IssuerOptions>
{
    public ValidateOptionsResult Validate(string? name, IssuerOptions o)
    {
        var failures = new List<string>();
        if (!Uri.TryCreate(o.Url, UriKind.Absolute, out var url) || url.Scheme is not ("https" or "http") || url.Query.Length > 0 || url.Fragment.Length > 0)
            failures.Add($"Auth:Issuer:Url must be an absolute http(s) URL without query or fragment, e.g. https://taskee.example.com (got '{o.Url}').");
        if (string.IsNullOrWhiteSpace(o.Audience) || o.Audience.Length > 200) failures.Add("Auth:Issuer:Audience is required (1 to 200 characters), e.g. taskee-api.");
        if (o.AccessTokenLifetime < TimeSpan.FromMinutes(1) || o.AccessTokenLifetime > TimeSpan.FromHours(1))
            failures.Add("Auth:Issuer:AccessTokenLifetime must be between 00:01:00 and 01:00:00.");
        if (o.RefreshTokenLifetime < TimeSpan.FromHours(1) || o.RefreshTokenLifetime > TimeSpan.FromDays(365) || o.RefreshTokenLifetime <= o.AccessTokenLifetime)
            failures.Add("Auth:Issuer:RefreshTokenLifetime must be between 01:00:00 and 365.00:00:00, and longer than the access token lifetime.");
        if (o.RotationInterval < TimeSpan.FromHours(1) || o.RotationInterval > TimeSpan.FromDays(365) || o.RotationInterval <= o.PublishRetiredFor)
            failures.Add("Auth:Issuer:RotationInterval must be between 01:00:00 and 365.00:00:00, and longer than the access token lifetime plus 5 minutes.");
        if (o.KeyEncryptionKey is { } kek && (!TryKek(kek, out var bytes) || bytes.Length != 32))
            failures.Add("Auth:Issuer:KeyEncryptionKey must be base64 of 32 random bytes (e.g. `openssl rand -base64 32`).");
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static bool TryKek(string text, out byte[] bytes)
    {
        bytes = new byte[64];
        if (!Convert.TryFromBase64String(text, bytes, out var written)) return false;
        bytes = bytes[..written];
        return true;
    }
}

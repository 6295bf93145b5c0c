using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Taskee.Tests.Infrastructure;

/// <summary>
/// A real OpenID provider on loopback for the tests: the discovery document and the JWKS at its jwks_uri, as
/// IdentityModel's ConfigurationManager reads them, keys it can add,
/// drop and rotate, an off switch, and a count of JWKS requests. Issues tokens signed with its keys.
/// For sign-in (<see cref="TestIdentityProvider"/>.Oidc.cs) it also has an authorization and a token endpoint, at its
/// root and under tenants (<c>/t/{tenant}</c>, an issuer each, as Entra ID and Okta have), which share its keys.
/// </summary>
public sealed partial class TestIdentityProvider : IAsyncDisposable
{
    public const string Audience = "taskee-api";

    private readonly WebApplication _app;
    private readonly List<(string Kid, SecurityKey Key, JsonWebKey Public)> _published = [];
    private readonly Dictionary<string, SecurityKey> _all = [];
    private readonly Dictionary<string, DateTimeOffset> _expiries = [];
    private int _jwksRequests;

    private TestIdentityProvider(WebApplication app) => _app = app;

    public string Issuer { get; private set; } = "";
    public bool Down { get; set; }
    public int JwksRequests => Volatile.Read(ref _jwksRequests);

    public static async Task<TestIdentityProvider> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var idp = new TestIdentityProvider(app);
        app.MapGet("/.well-known/openid-configuration", () => idp.Discovery(idp.Issuer));
        app.MapGet("/t/{tenant}/.well-known/openid-configuration", (string tenant) => idp.Discovery(idp.TenantIssuer(tenant)));
        idp.MapSignIn(app);
        app.MapGet("/jwks", idp.Jwks);
        app.MapGet("/t/{tenant}/jwks", idp.Jwks);
        await app.StartAsync();
        idp.Issuer = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First().TrimEnd('/');
        idp.AddKey("rsa-1");
        return idp;
    }

    private IResult Jwks()
    {
        Interlocked.Increment(ref _jwksRequests);
        if (Down) return Results.StatusCode(503);
        lock (_published) return Results.Content(JsonSerializer.Serialize(new { keys = _published.Select(k => JwkJson(k.Public)).ToList() }), "application/json");
    }

    private IResult Discovery(string issuer) => Down
        ? Results.StatusCode(503)
        : Results.Json(new Dictionary<string, object>
        {
            ["issuer"] = issuer,
            ["jwks_uri"] = $"{issuer}/jwks",
            ["authorization_endpoint"] = $"{issuer}/authorize",
            ["token_endpoint"] = $"{issuer}/token",
            ["response_types_supported"] = new[] { "code" },
            ["code_challenge_methods_supported"] = new[] { "S256" },
            ["id_token_signing_alg_values_supported"] = new[] { "RS256", "ES256" },
            ["token_endpoint_auth_methods_supported"] = new[] { "client_secret_post", "client_secret_basic" },
        });

    /// <summary>
    /// Creates a key; published unless <paramref name="publish"/> is false (a key the IdP will rotate to), with an
    /// <c>exp</c> in its JWK when <paramref name="expires"/> is given.
    /// </summary>
    public string AddKey(string kid, bool publish = true, bool ec = false, DateTimeOffset? expires = null)
    {
        if (expires is { } at) _expiries[kid] = at;
        SecurityKey key = ec
            ? new ECDsaSecurityKey(ECDsa.Create(ECCurve.NamedCurves.nistP256)) { KeyId = kid }
            : new RsaSecurityKey(RSA.Create(2048)) { KeyId = kid };
        _all[kid] = key;
        if (publish) Publish(kid);
        return kid;
    }

    public void Publish(string kid)
    {
        var jwk = _all[kid] switch
        {
            RsaSecurityKey rsa => JsonWebKeyConverter.ConvertFromRSASecurityKey(new RsaSecurityKey(rsa.Rsa.ExportParameters(false)) { KeyId = kid }),
            ECDsaSecurityKey ec => JsonWebKeyConverter.ConvertFromECDsaSecurityKey(new ECDsaSecurityKey(ECDsa.Create(ec.ECDsa.ExportParameters(false))) { KeyId = kid }),
            _ => throw new InvalidOperationException(),
        };
        jwk.Use = "sig";
        if (_expiries.TryGetValue(kid, out var expires)) jwk.AdditionalData["exp"] = expires.ToUnixTimeSeconds();
        lock (_published) _published.Add((kid, _all[kid], jwk));
    }

    public void Unpublish(string kid)
    {
        lock (_published) _published.RemoveAll(k => k.Kid == kid);
    }

    /// <summary>A token for <paramref name="orgId"/> (or none) with <paramref name="roles"/>; every part can be bent for negative tests.</summary>
    public string Token(string? orgId, string[] roles, string kid = "rsa-1", string? issuer = null, string audience = Audience,
        DateTime? expires = null, DateTime? notBefore = null, string? type = null, string subject = "user-1")
    {
        var claims = new Dictionary<string, object> { ["sub"] = subject, ["roles"] = roles };
        if (orgId is not null) claims["org_id"] = orgId;
        var key = _all[kid];
        var descriptor = new SecurityTokenDescriptor
        {
            Issuer = issuer ?? Issuer,
            Audience = audience,
            Claims = claims,
            NotBefore = notBefore ?? DateTime.UtcNow.AddMinutes(-1),
            Expires = expires ?? DateTime.UtcNow.AddMinutes(10),
            IssuedAt = DateTime.UtcNow.AddMinutes(-1),
            TokenType = type,
            SigningCredentials = new SigningCredentials(key, key is ECDsaSecurityKey ? SecurityAlgorithms.EcdsaSha256 : SecurityAlgorithms.RsaSha256),
        };
        return new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false }.CreateToken(descriptor);
    }

    /// <summary>Signed with the main key but naming a key id nobody published: what an attacker probing kids sends.</summary>
    public string TokenWithUnknownKid(string orgId)
    {
        var rsa = (RsaSecurityKey)_all["rsa-1"];
        var key = new RsaSecurityKey(rsa.Rsa) { KeyId = $"random-{Guid.NewGuid():N}" };
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = Issuer, Audience = Audience, Expires = DateTime.UtcNow.AddMinutes(10),
            Claims = new Dictionary<string, object> { ["sub"] = "prober", ["org_id"] = orgId, ["roles"] = new[] { "admin" } },
            SigningCredentials = new SigningCredentials(key, SecurityAlgorithms.RsaSha256),
        });
    }

    /// <summary>A valid token whose claim <paramref name="claim"/> is the string <paramref name="value"/>.</summary>
    public string TokenWithClaim(string orgId, string claim, string value)
    {
        var key = _all["rsa-1"];
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = Issuer, Audience = Audience, Expires = DateTime.UtcNow.AddMinutes(10),
            Claims = new Dictionary<string, object> { ["sub"] = "user-1", ["org_id"] = orgId, [claim] = value },
            SigningCredentials = new SigningCredentials(key, SecurityAlgorithms.RsaSha256),
        });
    }

    /// <summary>An unsigned token (<c>alg: none</c>) that otherwise looks valid.</summary>
    public string UnsignedToken(string orgId, string[] roles)
    {
        var header = Base64Url(JsonSerializer.Serialize(new { alg = "none", typ = "JWT", kid = "rsa-1" }));
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var payload = Base64Url(JsonSerializer.Serialize(new { iss = Issuer, aud = Audience, sub = "attacker", org_id = orgId, roles, nbf = now - 60, exp = now + 600 }));
        return $"{header}.{payload}.";
    }

    /// <summary>HS256 signed with the RSA public key's bytes as the secret: the classic algorithm confusion.</summary>
    public string Hs256WithPublicKey(string orgId, string[] roles)
    {
        JsonWebKey jwk;
        lock (_published) jwk = _published[0].Public;
        var secret = new SymmetricSecurityKey(Encoding.UTF8.GetBytes(JsonSerializer.Serialize(JwkJson(jwk)))) { KeyId = jwk.Kid };
        var descriptor = new SecurityTokenDescriptor
        {
            Issuer = Issuer, Audience = Audience, Expires = DateTime.UtcNow.AddMinutes(10),
            Claims = new Dictionary<string, object> { ["sub"] = "attacker", ["org_id"] = orgId, ["roles"] = roles },
            SigningCredentials = new SigningCredentials(secret, SecurityAlgorithms.HmacSha256),
        };
        return new JsonWebTokenHandler().CreateToken(descriptor);
    }

    private static Dictionary<string, object?> JwkJson(JsonWebKey k) => new Dictionary<string, object?>
    {
        ["kty"] = k.Kty, ["kid"] = k.Kid, ["use"] = "sig", ["n"] = k.N, ["e"] = k.E, ["crv"] = k.Crv, ["x"] = k.X, ["y"] = k.Y,
        ["exp"] = k.AdditionalData.TryGetValue("exp", out var exp) ? exp : null,
    }.Where(p => p.Value is not null).ToDictionary(p => p.Key, p => p.Value);

    private static string Base64Url(string text) => Base64UrlEncoder.Encode(Encoding.UTF8.GetBytes(text));

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}

using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Taskee.Tests.Infrastructure;

/// <summary>A person the test provider signs in without asking (it auto-approves).</summary>
public sealed record TestUser(string Subject, string Email, object? EmailVerified = null, string? Name = null, object? Groups = null);

/// <summary>What the test provider got at its authorization endpoint.</summary>
public sealed record AuthorizeRequest(string? Tenant, IReadOnlyDictionary<string, string> Parameters);

/// <summary>What the test provider got at its token endpoint, and whether it found the request good.</summary>
/// <param name="PkceValid">The code_verifier hashed (S256) to the code_challenge of the code.</param>
public sealed record TokenRequest(string? Tenant, IReadOnlyDictionary<string, string> Parameters, bool PkceValid, string? Error);

/// <summary>How the next ID tokens are bent, for negative tests; <see cref="TestIdentityProvider.Bend"/> sets it.</summary>
public sealed record IdTokenBend(string? Nonce = null, string? Audience = null, string? Issuer = null, bool Unsigned = false, bool Deny = false);

public sealed partial class TestIdentityProvider
{
    private sealed record Grant(string? Tenant, string ClientId, string RedirectUri, string Challenge, string? Nonce, TestUser User);

    private readonly ConcurrentDictionary<string, string> _clients = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Grant> _codes = new(StringComparer.Ordinal);

    /// <summary>Who the authorization endpoint signs in; per tenant (null for the root issuer).</summary>
    public ConcurrentDictionary<string, TestUser> Users { get; } = new(StringComparer.Ordinal);

    public ConcurrentQueue<AuthorizeRequest> AuthorizeRequests { get; } = new();
    public ConcurrentQueue<TokenRequest> TokenRequests { get; } = new();

    /// <summary>Applies to every ID token (and authorization) until set back to null.</summary>
    public IdTokenBend? Bend { get; set; }

    public string TenantIssuer(string tenant) => $"{Issuer}/t/{tenant}";

    /// <summary>Registers a confidential client (its secret is checked at the token endpoint).</summary>
    public void RegisterClient(string clientId, string secret) => _clients[clientId] = secret;

    private void MapSignIn(WebApplication app)
    {
        app.MapGet("/authorize", (Delegate)((HttpContext c) => Authorize(c, null)));
        app.MapGet("/t/{tenant}/authorize", (HttpContext c, string tenant) => Authorize(c, tenant));
        app.MapPost("/token", (Delegate)((HttpContext c) => TokenAsync(c, null)));
        app.MapPost("/t/{tenant}/token", (HttpContext c, string tenant) => TokenAsync(c, tenant));
    }

    private IResult Authorize(HttpContext context, string? tenant)
    {
        var query = context.Request.Query.ToDictionary(q => q.Key, q => q.Value.ToString(), StringComparer.Ordinal);
        AuthorizeRequests.Enqueue(new AuthorizeRequest(tenant, query));
        string Param(string name) => query.GetValueOrDefault(name) ?? "";

        if (!_clients.ContainsKey(Param("client_id")) || !Uri.TryCreate(Param("redirect_uri"), UriKind.Absolute, out _))
            return Results.BadRequest("unknown client or bad redirect_uri"); // never redirect to an unchecked URI
        var back = new Dictionary<string, string?> { ["state"] = Param("state") };
        if (Bend is { Deny: true })
        {
            back["error"] = "access_denied";
            back["error_description"] = "The user is not assigned to the application.";
        }
        else if (Param("response_type") != "code" || Param("code_challenge_method") != "S256" || Param("code_challenge").Length < 43
                 || !Users.TryGetValue(tenant ?? "", out var user))
        {
            back["error"] = "invalid_request";
        }
        else
        {
            var code = Base64UrlEncoder.Encode(RandomNumberGenerator.GetBytes(24));
            _codes[code] = new Grant(tenant, Param("client_id"), Param("redirect_uri"), Param("code_challenge"), query.GetValueOrDefault("nonce"), user);
            back["code"] = code;
        }
        return Results.Redirect(QueryHelpers.AddQueryString(Param("redirect_uri"), back));
    }

    private async Task<IResult> TokenAsync(HttpContext context, string? tenant)
    {
        var form = (await context.Request.ReadFormAsync()).ToDictionary(f => f.Key, f => f.Value.ToString(), StringComparer.Ordinal);
        string Param(string name) => form.GetValueOrDefault(name) ?? "";
        var (clientId, secret) = (Param("client_id"), Param("client_secret"));
        if (context.Request.Headers.Authorization.ToString() is var basic && basic.StartsWith("Basic ", StringComparison.Ordinal))
        {
            var pair = Encoding.UTF8.GetString(Convert.FromBase64String(basic["Basic ".Length..])).Split(':', 2);
            (clientId, secret) = (Uri.UnescapeDataString(pair[0]), Uri.UnescapeDataString(pair[1]));
        }

        // Single use: the code is gone after its first redemption, good or bad.
        _codes.TryRemove(Param("code"), out var grant);
        var pkceValid = grant is not null && Param("code_verifier").Length >= 43
            && Base64UrlEncoder.Encode(SHA256.HashData(Encoding.ASCII.GetBytes(Param("code_verifier")))) == grant.Challenge;
        var error =
            Param("grant_type") != "authorization_code" ? "unsupported_grant_type"
            : !_clients.TryGetValue(clientId, out var expected) || expected != secret ? "invalid_client"
            : grant is null || grant.Tenant != tenant || grant.ClientId != clientId || grant.RedirectUri != Param("redirect_uri") || !pkceValid ? "invalid_grant"
            : null;
        TokenRequests.Enqueue(new TokenRequest(tenant, form, pkceValid, error));
        if (error is not null) return Results.Json(new { error }, statusCode: error == "invalid_client" ? 401 : 400);

        return Results.Json(new Dictionary<string, object>
        {
            ["access_token"] = Base64UrlEncoder.Encode(RandomNumberGenerator.GetBytes(24)),
            ["token_type"] = "Bearer",
            ["expires_in"] = 300,
            ["id_token"] = IdToken(grant!, tenant is null ? Issuer : TenantIssuer(tenant)),
        });
    }

    private string IdToken(Grant grant, string issuer)
    {
        var bend = Bend ?? new IdTokenBend();
        var claims = new Dictionary<string, object> { ["sub"] = grant.User.Subject, ["email"] = grant.User.Email };
        if ((bend.Nonce ?? grant.Nonce) is { } nonce) claims["nonce"] = nonce;
        if (grant.User.EmailVerified is { } verified) claims["email_verified"] = verified;
        if (grant.User.Name is { } name) claims["name"] = name;
        if (grant.User.Groups is { } groups) claims["groups"] = groups;
        var now = DateTime.UtcNow;
        if (bend.Unsigned)
        {
            var header = Base64Url(JsonSerializer.Serialize(new { alg = "none", typ = "JWT" }));
            claims["iss"] = bend.Issuer ?? issuer;
            claims["aud"] = bend.Audience ?? grant.ClientId;
            claims["iat"] = new DateTimeOffset(now).ToUnixTimeSeconds();
            claims["exp"] = new DateTimeOffset(now.AddMinutes(5)).ToUnixTimeSeconds();
            return $"{header}.{Base64Url(JsonSerializer.Serialize(claims))}.";
        }
        var key = _all["rsa-1"];
        return new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false }.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = bend.Issuer ?? issuer,
            Audience = bend.Audience ?? grant.ClientId,
            Claims = claims,
            IssuedAt = now,
            NotBefore = now.AddSeconds(-5),
            Expires = now.AddMinutes(5),
            SigningCredentials = new SigningCredentials(key, SecurityAlgorithms.RsaSha256),
        });
    }
}

using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;
using Taskee.Api.Identity.SignIn;
using Taskee.Api.Infrastructure;

namespace Taskee.Api.Identity.Issuer;

/// <summary>The OAuth 2.0 token response (RFC 6749 5.1).</summary>
public sealed record TokenResponse(
    [property: JsonPropertyName("access_token")] string AccessToken,
    [property: JsonPropertyName("token_type")] string TokenType,
    [property: JsonPropertyName("expires_in")] int ExpiresIn,
    [property: JsonPropertyName("refresh_token")] string RefreshToken)
{
    public static TokenResponse From(TokenSet t) => new(t.AccessToken, t.TokenType, t.ExpiresIn, t.RefreshToken);
}

/// <summary>A renewal by cookie: the tokens stay in their HttpOnly cookies; the page learns when to renew again.</summary>
public sealed record CookieRenewal(
    [property: JsonPropertyName("token_type")] string TokenType,
    [property: JsonPropertyName("expires_in")] int ExpiresIn);

/// <summary>
/// Taskee as a token issuer: discovery and keys under <c>/.well-known</c>, and the session endpoints under
/// <c>/v1/auth</c> (refresh, revocation, sign-out). Sessions themselves start at a SAML or OIDC sign-in.
/// </summary>
public static class IssuerEndpoints
{
    private const string TokenPath = "/v1/auth/token";
    private const string RevokePath = "/v1/auth/revoke";

    public static void MapIssuerEndpoints(this IEndpointRouteBuilder app)
    {
        var wellKnown = app.MapGroup("/.well-known").WithTags("Issuer").AllowAnonymous();
        wellKnown.MapGet("/openid-configuration", Discovery).WithName("IssuerDiscovery");
        wellKnown.MapGet("/jwks.json", Jwks).WithName("IssuerJwks");

        var auth = app.MapGroup("/v1/auth").WithTags("Issuer").AllowAnonymous().DisableAntiforgery();
        auth.MapPost("/token", TokenAsync).WithName("Token");
        auth.MapPost("/revoke", RevokeAsync).WithName("RevokeToken");
        auth.MapPost("/signout", SignOutAsync).WithName("SignOut");
    }

    public static IResult Discovery(IOptions<IssuerOptions> options, HttpContext http)
    {
        var o = options.Value;
        http.Response.Headers.CacheControl = "public, max-age=3600";
        return TypedResults.Json(new Dictionary<string, object>
        {
            ["issuer"] = o.Url,
            ["jwks_uri"] = o.UrlFor("/.well-known/jwks.json"),
            ["token_endpoint"] = o.UrlFor(TokenPath),
            ["revocation_endpoint"] = o.UrlFor(RevokePath),
            ["grant_types_supported"] = new[] { "refresh_token" },
            ["response_types_supported"] = Array.Empty<string>(),
            ["subject_types_supported"] = new[] { "public" },
            ["id_token_signing_alg_values_supported"] = new[] { IssuerOptions.Algorithm },
            ["token_endpoint_auth_methods_supported"] = new[] { "none" },
            ["revocation_endpoint_auth_methods_supported"] = new[] { "none" },
            ["claims_supported"] = new[] { "iss", "aud", "sub", "org_id", "roles", "amr", "iat", "nbf", "exp", "jti" },
        });
    }

    public static IResult Jwks(SigningKeys keys, HttpContext http)
    {
        // Short enough that a key published at rotation reaches every cache long before it signs (a whole interval).
        http.Response.Headers.CacheControl = "public, max-age=300";
        return TypedResults.Text($"{{\"keys\":[{string.Join(",", keys.PublishedJson())}]}}", "application/json");
    }

    /// <summary>
    /// <c>grant_type=refresh_token</c>: with <c>refresh_token</c> in the body (form or JSON) the answer is the token JSON;
    /// without it, the refresh cookie is used and the answer sets the cookies again.
    /// </summary>
    public static async Task<IResult> TokenAsync(HttpContext http, SessionTokens sessions, IOptions<IssuerOptions> options, CancellationToken ct)
    {
        NoStore(http);
        var (form, bad) = await ReadAsync(http, ct);
        if (bad is not null) return bad;
        var grant = form.GetValueOrDefault("grant_type");
        if (string.IsNullOrEmpty(grant)) return OAuthProblem(OAuthErrors.InvalidRequest, "grant_type is required; send grant_type=refresh_token.");
        if (grant != "refresh_token")
            return OAuthProblem(OAuthErrors.UnsupportedGrantType, $"grant_type '{grant}' is not supported here; send grant_type=refresh_token (sessions start at a SAML or OIDC sign-in).");

        var byCookie = !form.ContainsKey("refresh_token");
        var token = byCookie ? http.Request.Cookies[SessionCookies.Refresh] : form["refresh_token"];
        if (string.IsNullOrEmpty(token)) return OAuthProblem(OAuthErrors.InvalidRequest, "refresh_token is required: the refresh token of your session.");

        var outcome = await sessions.RefreshAsync(token, http.ChangeContext(), ct);
        if (outcome.Tokens is not { } tokens)
        {
            if (byCookie) SessionCookies.Clear(http, options.Value);
            return OAuthProblem(outcome.Error!, outcome.Description!);
        }
        if (!byCookie) return TypedResults.Json(TokenResponse.From(tokens));
        SessionCookies.Set(http, tokens, options.Value, keepCsrf: true);
        return TypedResults.Json(new CookieRenewal(tokens.TokenType, tokens.ExpiresIn));
    }

    /// <summary>RFC 7009: revokes the session of a refresh token; 200 whether or not the token was known.</summary>
    public static async Task<IResult> RevokeAsync(HttpContext http, SessionTokens sessions, CancellationToken ct)
    {
        NoStore(http);
        var (form, bad) = await ReadAsync(http, ct);
        if (bad is not null) return bad;
        if (form.GetValueOrDefault("token") is not { Length: > 0 } token) return OAuthProblem(OAuthErrors.InvalidRequest, "token is required: the refresh token to revoke.");
        await sessions.RevokeAsync(token, "revoked", http.ChangeContext(), ct);
        return TypedResults.Ok();
    }

    /// <summary>Ends the session of the refresh token in the body, or of the session cookie, and clears the cookies.</summary>
    public static async Task<NoContent> SignOutAsync(HttpContext http, SessionTokens sessions, IOptions<IssuerOptions> options, CancellationToken ct)
    {
        var (form, _) = await ReadAsync(http, ct);
        var token = form.GetValueOrDefault("refresh_token") ?? http.Request.Cookies[SessionCookies.Refresh];
        if (!string.IsNullOrEmpty(token)) await sessions.RevokeAsync(token, "signed_out", http.ChangeContext(), ct);
        SessionCookies.Clear(http, options.Value);
        return TypedResults.NoContent();
    }

    /// <summary>The parameters of a form (RFC 6749's encoding) or of a JSON object of strings; an empty body is none.</summary>
    private static async Task<(Dictionary<string, string> Form, IResult? Bad)> ReadAsync(HttpContext http, CancellationToken ct)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        var request = http.Request;
        if (request.HasFormContentType)
        {
            foreach (var (key, value) in await request.ReadFormAsync(ct)) values[key] = value.ToString();
            return (values, null);
        }
        if (request.HasJsonContentType())
        {
            try
            {
                using var json = await JsonDocument.ParseAsync(request.Body, cancellationToken: ct);
                if (json.RootElement.ValueKind != JsonValueKind.Object) throw new JsonException();
                foreach (var property in json.RootElement.EnumerateObject())
                {
                    if (property.Value.ValueKind != JsonValueKind.String)
                        return (values, OAuthProblem(OAuthErrors.InvalidRequest, $"'{property.Name}' must be a string."));
                    values[property.Name] = property.Value.GetString()!;
                }
                return (values, null);
            }
            catch (JsonException)
            {
                return (values, OAuthProblem(OAuthErrors.InvalidRequest, "The body is not a JSON object; send application/x-www-form-urlencoded (grant_type=refresh_token&refresh_token=...) or a JSON object of strings."));
            }
        }
        if (request.ContentLength is null or 0 && !request.Headers.ContainsKey("Transfer-Encoding")) return (values, null);
        return (values, OAuthProblem(OAuthErrors.InvalidRequest, "Send the body as application/x-www-form-urlencoded (grant_type=refresh_token&refresh_token=...) or JSON."));
    }

    /// <summary>An OAuth error (RFC 6749 5.2: <c>error</c>, <c>error_description</c>) inside an RFC 9457 problem, 400.</summary>
    public static ProblemHttpResult OAuthProblem(string error, string description) =>
        TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Bad Request", detail: description,
            extensions: new Dictionary<string, object?> { ["error"] = error, ["error_description"] = description });

    private static void NoStore(HttpContext http)
    {
        http.Response.Headers.CacheControl = "no-store";
        http.Response.Headers.Pragma = "no-cache";
    }
}

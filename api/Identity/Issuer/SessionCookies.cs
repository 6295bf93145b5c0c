using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;
using Taskee.Api.AdminConsole;
using Taskee.Api.Identity.SignIn;
using Taskee.Api.Infrastructure;

namespace Taskee.Api.Identity.Issuer;

/// <summary>
/// The browser's Taskee session. <see cref="Session"/> holds the access token (HttpOnly, for as long as the token
/// lives); <see cref="Refresh"/> the refresh token, sent only to <c>/v1/auth</c> (where <c>POST /v1/auth/token</c>
/// renews both). Both are SameSite=Lax, because the SAML ACS that sets them is a cross-site POST, and Secure on HTTPS.
/// <see cref="Csrf"/> is readable by the page: an unsafe request authenticated by cookie must repeat it in
/// <see cref="CsrfHeader"/> (double submit), which another site cannot do.
/// </summary>
public static class SessionCookies
{
    public const string Session = "taskee_session";
    public const string Refresh = "taskee_refresh";
    public const string Csrf = "taskee_csrf";
    public const string CsrfHeader = "X-CSRF-Token";
    public const string RefreshPath = "/v1/auth";

    /// <summary>The cookie authenticates API requests that carry no Authorization header.</summary>
    public static bool UsesCookie(HttpContext context) =>
        context.Request.Headers.Authorization.Count == 0 && context.Request.Path.StartsWithSegments("/v1")
        && context.Request.Cookies.ContainsKey(Session);

    /// <param name="keepCsrf">A renewal keeps the CSRF value the page already holds; a sign-in gets a new one.</param>
    public static void Set(HttpContext http, TokenSet tokens, IssuerOptions options, bool keepCsrf = false)
    {
        var secure = IsSecure(http, options);
        http.Response.Cookies.Append(Session, tokens.AccessToken, Options(secure, httpOnly: true, "/", options.AccessTokenLifetime));
        http.Response.Cookies.Append(Refresh, tokens.RefreshToken, Options(secure, httpOnly: true, RefreshPath, options.RefreshTokenLifetime));
        var csrf = keepCsrf && http.Request.Cookies[Csrf] is { Length: >= 32 } existing ? existing : Base64UrlEncoder.Encode(RandomNumberGenerator.GetBytes(32));
        http.Response.Cookies.Append(Csrf, csrf, Options(secure, httpOnly: false, "/", options.RefreshTokenLifetime));
        // A new sign-in ends the console session the browser may still hold (bound to the CSRF value just replaced);
        // the console opens one for the new session.
        if (!keepCsrf && http.Request.Cookies.ContainsKey(ConsoleSession.CookieName))
            http.Response.Cookies.Delete(ConsoleSession.CookieName, new CookieOptions { Path = "/", HttpOnly = true, SameSite = SameSiteMode.Strict, Secure = secure });
    }

    public static void Clear(HttpContext http, IssuerOptions options)
    {
        var secure = IsSecure(http, options);
        http.Response.Cookies.Delete(Session, Options(secure, httpOnly: true, "/", TimeSpan.Zero));
        http.Response.Cookies.Delete(Refresh, Options(secure, httpOnly: true, RefreshPath, TimeSpan.Zero));
        http.Response.Cookies.Delete(Csrf, Options(secure, httpOnly: false, "/", TimeSpan.Zero));
    }

    /// <summary>
    /// Secure on HTTPS, and whenever the public address is https://: behind a proxy that ends TLS the request the node
    /// sees is plain HTTP, yet the browser's is not.
    /// </summary>
    private static bool IsSecure(HttpContext http, IssuerOptions options) =>
        http.Request.IsHttps || options.Url.StartsWith("https://", StringComparison.OrdinalIgnoreCase);

    private static CookieOptions Options(bool secure, bool httpOnly, string path, TimeSpan lifetime) => new()
    {
        HttpOnly = httpOnly,
        Secure = secure,
        SameSite = SameSiteMode.Lax,
        Path = path,
        MaxAge = lifetime > TimeSpan.Zero ? lifetime : null,
        IsEssential = true,
    };

    internal static bool CsrfMatches(HttpContext http) =>
        http.Request.Cookies[Csrf] is { Length: > 0 } cookie && http.Request.Headers[CsrfHeader].ToString() is { Length: > 0 } header
        && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(cookie), Encoding.UTF8.GetBytes(header));
}

/// <summary>
/// Refuses (403) an unsafe API or console request that relies on a Taskee cookie (session, refresh or console) without the matching
/// <c>X-CSRF-Token</c> header. Requests with an <c>Authorization</c> header are not affected: a browser never adds one
/// on its own.
/// </summary>
public sealed class CsrfMiddleware(RequestDelegate next)
{
    // Not async: a request that passes costs no state machine of its own.
    public Task InvokeAsync(HttpContext context)
    {
        var request = context.Request;
        if (!HttpMethods.IsGet(request.Method) && !HttpMethods.IsHead(request.Method) && !HttpMethods.IsOptions(request.Method)
            && request.Headers.Authorization.Count == 0
            && (request.Path.StartsWithSegments("/v1") || request.Path.StartsWithSegments(ConsoleSession.Path))
            && (request.Cookies.ContainsKey(SessionCookies.Session) || request.Cookies.ContainsKey(SessionCookies.Refresh)
                || request.Cookies.ContainsKey(ConsoleSession.CookieName))
            && !SessionCookies.CsrfMatches(context))
            return Problems.Write(context, StatusCodes.Status403Forbidden, "Forbidden",
                $"A request authenticated by a Taskee session cookie must send the value of the '{SessionCookies.Csrf}' cookie in the '{SessionCookies.CsrfHeader}' header.");
        return next(context);
    }
}

using System.Security.Cryptography;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;
using Taskee.Api.Auth;
using Taskee.Api.Identity.Issuer;
using Taskee.Api.Infrastructure;

namespace Taskee.Api.AdminConsole;

/// <summary>What the page learns of the session it has: whether it came from SSO (and so renews its access token).</summary>
public sealed record ConsoleSessionState(bool Sso);

/// <summary>
/// Opens and closes the console session. Sign-in sends the credential once, as a bearer caller would
/// (<c>Authorization: Bearer tk_...</c> or a token of the platform's issuer); the answer keeps it in the HttpOnly
/// cookie, and the page never holds it again. A person who signed in with SSO already has the issuer's session cookie;
/// the page then opens a console session without a credential, which only adds the idle timeout to it.
/// </summary>
public static class ConsoleSessionEndpoints
{
    public static void MapConsoleSession(this IEndpointRouteBuilder app)
    {
        var session = app.MapGroup(ConsoleSession.Path + "/session").ExcludeFromDescription();
        // Anonymous at the door because a request without credential is judged by the cookie it carries (OpenSsoAsync).
        session.MapPost("/", SignInAsync).AllowAnonymous();
        session.MapDelete("/", SignOutAsync).AllowAnonymous();
    }

    private static async Task<IResult> SignInAsync(HttpContext http, IOptions<IssuerOptions> issuer, ILoggerFactory loggers)
    {
        var header = http.Request.Headers.Authorization.ToString();
        if (header.Length == 0) return await OpenSsoAsync(http, loggers);
        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
            return Problems.BadRequest("Credential required", "Send the API key or token to sign in with as 'Authorization: Bearer ...'.");
        if (Caller.From(http.User) is not { } caller) return TypedResults.Challenge();
        var csrf = Base64UrlEncoder.Encode(RandomNumberGenerator.GetBytes(32));
        var properties = new AuthenticationProperties { IsPersistent = false };
        properties.Items[ConsoleSession.CredentialItem] = header["Bearer ".Length..].Trim();
        properties.Items[ConsoleSession.CsrfItem] = csrf;
        await http.SignInAsync(ConsoleSession.Scheme, caller.ToPrincipal(ConsoleSession.Scheme), properties);
        // Readable by the page (it repeats it in X-CSRF-Token), never by another site: SameSite=Strict.
        http.Response.Cookies.Append(SessionCookies.Csrf, csrf, new CookieOptions
        {
            HttpOnly = false,
            Secure = http.Request.IsHttps || issuer.Value.Url.StartsWith("https://", StringComparison.OrdinalIgnoreCase),
            SameSite = SameSiteMode.Strict,
            Path = "/",
            IsEssential = true,
        });
        ConsoleLog.SignedIn(loggers.CreateLogger(typeof(ConsoleSessionEndpoints)), caller.Subject, caller.OrgId ?? "platform");
        return TypedResults.NoContent();
    }

    /// <summary>
    /// A request without credential is authenticated by a cookie: a console session already open (nothing to do), or the
    /// SSO session a SAML or OIDC sign-in left, which gets a console ticket of its own so that <c>Console:IdleTimeout</c>
    /// ends it even while the page renews its access token. The ticket holds no token: each request is judged by the
    /// session cookie as it is then, and the CSRF value the sign-in set is bound to the ticket.
    /// </summary>
    private static async Task<IResult> OpenSsoAsync(HttpContext http, ILoggerFactory loggers)
    {
        if (http.Request.Cookies.ContainsKey(ConsoleSession.CookieName))
        {
            var open = await http.AuthenticateAsync(ConsoleSession.Scheme);
            return open.Succeeded
                ? TypedResults.Ok(new ConsoleSessionState(open.Properties.Items.ContainsKey(ConsoleSession.SsoItem)))
                : TypedResults.Unauthorized();
        }
        if (!http.Request.Cookies.ContainsKey(SessionCookies.Session))
            return Problems.BadRequest("Credential required", "Send the API key or token to sign in with as 'Authorization: Bearer ...', or sign in with SSO first.");
        var session = await http.AuthenticateAsync(TaskeeTokenScheme.CookieScheme);
        // CsrfMiddleware has let this request through, so the CSRF cookie is there and the header repeats it.
        if (session.Principal is null || Caller.From(session.Principal) is not { } caller || http.Request.Cookies[SessionCookies.Csrf] is not { Length: > 0 } csrf)
            return TypedResults.Unauthorized();
        var properties = new AuthenticationProperties { IsPersistent = false };
        properties.Items[ConsoleSession.SsoItem] = "true";
        properties.Items[ConsoleSession.CsrfItem] = csrf;
        await http.SignInAsync(ConsoleSession.Scheme, caller.ToPrincipal(ConsoleSession.Scheme), properties);
        ConsoleLog.SsoSessionOpened(loggers.CreateLogger(typeof(ConsoleSessionEndpoints)), caller.Subject, caller.OrgId ?? "platform");
        return TypedResults.Ok(new ConsoleSessionState(Sso: true));
    }

    /// <summary>Ends the console session and, when the browser holds an SSO session, revokes its refresh token too.</summary>
    private static async Task<NoContent> SignOutAsync(HttpContext http, SessionTokens sessions, IOptions<IssuerOptions> issuer,
        ILoggerFactory loggers, CancellationToken ct)
    {
        var signedIn = await http.AuthenticateAsync(ConsoleSession.Scheme);
        await http.SignOutAsync(ConsoleSession.Scheme);
        await IssuerEndpoints.SignOutAsync(http, sessions, issuer, ct);
        if (signedIn.Principal is { } principal && Caller.From(principal) is { } caller)
            ConsoleLog.SignedOut(loggers.CreateLogger(typeof(ConsoleSessionEndpoints)), caller.Subject);
        return TypedResults.NoContent();
    }
}

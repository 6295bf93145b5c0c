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

/// <summary>
/// Opens and closes the console session. Sign-in sends the credential once, as a bearer caller would
/// (<c>Authorization: Bearer tk_...</c> or a token of the platform's issuer); the answer keeps it in the HttpOnly
/// cookie, and the page never holds it again. A person who signed in with SSO already has the issuer's session cookie,
/// which the console uses as it is.
/// </summary>
public static class ConsoleSessionEndpoints
{
    public static void MapConsoleSession(this IEndpointRouteBuilder app)
    {
        var session = app.MapGroup(ConsoleSession.Path + "/session").ExcludeFromDescription();
        session.MapPost("/", SignInAsync).RequireAuthorization();
        session.MapDelete("/", SignOutAsync).AllowAnonymous();
    }

    private static async Task<IResult> SignInAsync(HttpContext http, IOptions<IssuerOptions> issuer, ILoggerFactory loggers)
    {
        var header = http.Request.Headers.Authorization.ToString();
        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
            return Problems.BadRequest("Credential required", "Send the API key or token to sign in with as 'Authorization: Bearer ...'.");
        var caller = Caller.From(http.User)!;
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

using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Taskee.Api.Auth;
using Taskee.Api.Auth.Jwt;
using Taskee.Api.Identity.Issuer;

namespace Taskee.Api.AdminConsole;

/// <summary>
/// Turns a console cookie into the identity of the credential inside it, judged by that credential's own scheme on
/// every request (revocation, expiry, role changes apply at once), and binds the CSRF token to the session.
/// </summary>
public sealed class ConsoleSessionEvents(ILogger<ConsoleSessionEvents> logger) : CookieAuthenticationEvents
{
    public override async Task ValidatePrincipal(CookieValidatePrincipalContext context)
    {
        var http = context.HttpContext;
        var sso = context.Properties.Items.ContainsKey(ConsoleSession.SsoItem);
        context.Properties.Items.TryGetValue(ConsoleSession.CredentialItem, out var credential);
        if (!sso && string.IsNullOrEmpty(credential))
        {
            context.RejectPrincipal();
            return;
        }
        // CsrfMiddleware has checked that the header repeats the CSRF cookie; the cookie must also be this session's,
        // so a token planted from a sibling domain does not do.
        if (ConsoleSession.IsUnsafe(http.Request) && !BoundCsrfMatches(http, context.Properties))
        {
            ConsoleLog.CsrfNotBound(logger);
            context.RejectPrincipal();
            return;
        }

        if (sso)
        {
            await ValidateSsoAsync(context);
            return;
        }
        var result = await AuthenticateCredentialAsync(http, credential!);
        if (result.Principal is null)
        {
            ConsoleLog.CredentialRefused(logger, result.Failure?.Message ?? "no result");
            context.RejectPrincipal();
            await http.SignOutAsync(ConsoleSession.Scheme);
            return;
        }
        context.ReplacePrincipal(result.Principal);
    }

    /// <summary>
    /// An SSO session is judged by the issuer's session cookie. When its access token has ended the request is refused
    /// (401) but the ticket stays: the page renews the token at <c>POST /v1/auth/token</c> and retries, within the
    /// ticket's idle window; a ticket unused for <c>Console:IdleTimeout</c> has expired and no renewal brings it back.
    /// </summary>
    private async Task ValidateSsoAsync(CookieValidatePrincipalContext context)
    {
        var result = await context.HttpContext.AuthenticateAsync(TaskeeTokenScheme.CookieScheme);
        if (result.Principal is null)
        {
            ConsoleLog.SsoTokenRefused(logger, result.Failure?.Message ?? "no session cookie");
            context.RejectPrincipal();
            return;
        }
        context.ReplacePrincipal(result.Principal);
    }

    /// <summary>The console answers as an API does: 401 without a session, 403 without the permission; never a redirect.</summary>
    public override Task RedirectToLogin(RedirectContext<CookieAuthenticationOptions> context)
    {
        context.Response.StatusCode = StatusCodes.Status401Unauthorized;
        return Task.CompletedTask;
    }

    public override Task RedirectToAccessDenied(RedirectContext<CookieAuthenticationOptions> context)
    {
        context.Response.StatusCode = StatusCodes.Status403Forbidden;
        return Task.CompletedTask;
    }

    /// <summary>
    /// Runs the scheme a bearer caller with this credential would get, as if it had sent the header: the same checks,
    /// the same caller. The header is removed again so nothing after authentication mistakes the request for a bearer one.
    /// </summary>
    internal static async Task<AuthenticateResult> AuthenticateCredentialAsync(HttpContext http, string credential)
    {
        var scheme = credential.StartsWith(ApiKeyToken.Prefix, StringComparison.Ordinal)
            ? ApiKeyAuthenticationHandler.SchemeName
            : http.RequestServices.GetRequiredService<IssuerRegistry>().SchemeFor(credential);
        var headers = http.Request.Headers;
        headers.Authorization = "Bearer " + credential;
        try
        {
            return await http.AuthenticateAsync(scheme);
        }
        finally
        {
            headers.Remove("Authorization");
        }
    }

    private static bool BoundCsrfMatches(HttpContext http, AuthenticationProperties properties) =>
        properties.Items.TryGetValue(ConsoleSession.CsrfItem, out var bound) && bound is { Length: > 0 }
        && http.Request.Headers[SessionCookies.CsrfHeader].ToString() is { Length: > 0 } sent
        && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(bound), Encoding.UTF8.GetBytes(sent));
}

using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Taskee.Api.AdminConsole;

/// <summary>
/// The admin console's browser session: an HttpOnly, SameSite=Strict cookie (Secure on HTTPS) whose ticket, protected
/// by ASP.NET Core Data Protection, holds the credential the person signed in with (an API key or a Taskee/platform
/// token). Every request re-authenticates that credential through its own scheme (<see cref="ConsoleSessionEvents"/>),
/// so the console has no powers of its own and a revoked key or expired token ends the session at once.
/// </summary>
public static class ConsoleSession
{
    public const string Scheme = "ConsoleSession";
    public const string CookieName = "taskee_console";
    public const string Path = "/console";

    /// <summary>Ticket items: the credential, and the CSRF token the page must repeat on unsafe requests.</summary>
    internal const string CredentialItem = "credential";
    internal const string CsrfItem = "csrf";

    /// <summary>Ticket item of a session opened over an SSO sign-in: its credential is the issuer's session cookie, renewed by the page.</summary>
    internal const string SsoItem = "sso";

    /// <summary>The cookie authenticates API and console requests that carry no Authorization header.</summary>
    public static bool UsesCookie(HttpContext context) =>
        context.Request.Headers.Authorization.Count == 0 && context.Request.Cookies.ContainsKey(CookieName)
        && (context.Request.Path.StartsWithSegments("/v1") || context.Request.Path.StartsWithSegments(Path));

    public static AuthenticationBuilder AddConsoleSession(this AuthenticationBuilder authentication)
    {
        var services = authentication.Services;
        services.AddOptions<ConsoleOptions>().BindConfiguration(ConsoleOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<ConsoleSessionEvents>();
        services.AddOptions<CookieAuthenticationOptions>(Scheme).Configure<IOptions<ConsoleOptions>>((o, console) =>
        {
            o.ExpireTimeSpan = console.Value.IdleTimeout;
            o.SlidingExpiration = true;
        });
        return authentication.AddCookie(Scheme, o =>
        {
            o.Cookie.Name = CookieName;
            o.Cookie.HttpOnly = true;
            o.Cookie.SameSite = SameSiteMode.Strict;
            o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            o.Cookie.Path = "/";
            o.Cookie.IsEssential = true;
            o.EventsType = typeof(ConsoleSessionEvents);
        });
    }

    internal static bool IsUnsafe(HttpRequest request) =>
        !HttpMethods.IsGet(request.Method) && !HttpMethods.IsHead(request.Method) && !HttpMethods.IsOptions(request.Method);
}

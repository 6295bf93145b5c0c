using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Taskee.Api.Auth;

namespace Taskee.Api.Ops;

/// <summary>
/// The browser session of the operations pages: after /ops signed in with a key, it trades the bearer key for an
/// HttpOnly, SameSite=Strict cookie carrying the same caller, so pages that cannot send headers (Orleans' dashboard at
/// /dashboard) are reached with the same credentials. The cookie is accepted only under <see cref="CookiePaths"/>.
/// </summary>
public static class OpsSession
{
    public const string Scheme = "OpsSession";
    public const string CookieName = "taskee_ops";

    /// <summary>Where the session cookie counts: read-only operations pages, never the API.</summary>
    public static readonly PathString[] CookiePaths = ["/dashboard"];

    public static AuthenticationBuilder AddOpsSession(this AuthenticationBuilder authentication) =>
        authentication.AddCookie(Scheme, o =>
        {
            o.Cookie.Name = CookieName;
            o.Cookie.HttpOnly = true;
            o.Cookie.SameSite = SameSiteMode.Strict;
            o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            o.Cookie.Path = "/";
            o.ExpireTimeSpan = TimeSpan.FromMinutes(30);
            o.SlidingExpiration = true;
            // An API answers; it does not redirect: without a session, 401; without the permission, 403.
            o.Events.OnRedirectToLogin = context => Status(context, StatusCodes.Status401Unauthorized);
            o.Events.OnRedirectToAccessDenied = context => Status(context, StatusCodes.Status403Forbidden);
        });

    public static bool UsesCookie(HttpContext context) =>
        context.Request.Headers.Authorization.Count == 0 && CookiePaths.Any(p => context.Request.Path.StartsWithSegments(p));

    public static void MapOpsSession(this IEndpointRouteBuilder app)
    {
        var session = app.MapGroup("/ops/session").ExcludeFromDescription();
        session.MapPost("/", (Delegate)SignInAsync).RequireAuthorization(Permissions.OpsRead);
        session.MapDelete("/", (Delegate)SignOutAsync);
    }

    private static async Task<NoContent> SignInAsync(HttpContext http)
    {
        await http.SignInAsync(Scheme, Caller.From(http.User)!.ToPrincipal(Scheme));
        return TypedResults.NoContent();
    }

    private static async Task<NoContent> SignOutAsync(HttpContext http)
    {
        await http.SignOutAsync(Scheme);
        return TypedResults.NoContent();
    }

    private static Task Status(RedirectContext<CookieAuthenticationOptions> context, int status)
    {
        context.Response.StatusCode = status;
        return Task.CompletedTask;
    }
}

using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Taskee.Api.Infrastructure;

namespace Taskee.Api.AdminConsole;

/// <summary>
/// The /console page: plain HTML, CSS and JS embedded in the assembly (no CDN, no build step, works offline). The
/// page is public; everything it shows and changes goes through /v1 as the signed-in caller. No inline script or
/// style anywhere, so a strict Content-Security-Policy holds.
/// </summary>
public static class ConsolePage
{
    private static readonly EmbeddedFiles Files = new("AdminConsole.Page");

    internal const string ContentSecurityPolicy =
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
        + "form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

    public static void MapConsolePage(this IEndpointRouteBuilder app)
    {
        app.MapGet(ConsoleSession.Path, (HttpContext http) => Serve(http, "index.html")).ExcludeFromDescription();
        app.MapGet(ConsoleSession.Path + "/assets/{file}", (HttpContext http, string file) => Serve(http, file)).ExcludeFromDescription();
    }

    private static IResult Serve(HttpContext http, string file)
    {
        var headers = http.Response.Headers;
        headers.ContentSecurityPolicy = ContentSecurityPolicy;
        headers.XContentTypeOptions = "nosniff";
        headers["Referrer-Policy"] = "no-referrer";
        headers.CacheControl = "no-cache";
        return Files.Serve(file);
    }
}

using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Taskee.Api.Infrastructure;

namespace Taskee.Api.Ops;

/// <summary>
/// The /ops page: plain HTML, CSS and JS embedded in the assembly (no CDN, no build step, works offline).
/// The page itself is public; everything it shows comes from /v1/ops with the operator's key.
/// </summary>
public static class OpsDashboard
{
    private static readonly EmbeddedFiles Files = new("Ops.Dashboard");

    public static void MapOpsDashboard(this IEndpointRouteBuilder app)
    {
        app.MapGet("/ops", () => Files.Serve("index.html")).ExcludeFromDescription();
        app.MapGet("/ops/{file}", (string file) => Files.Serve(file)).ExcludeFromDescription();
    }
}

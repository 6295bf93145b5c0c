using System.Collections.Frozen;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Taskee.Api.Ops;

/// <summary>
/// The /ops page: plain HTML, CSS and JS embedded in the assembly (no CDN, no build step, works offline).
/// The page itself is public; everything it shows comes from /v1/ops with the operator's key.
/// </summary>
public static class OpsDashboard
{
    private static readonly FrozenDictionary<string, (byte[] Content, string Type)> Files = Load();

    public static void MapOpsDashboard(this IEndpointRouteBuilder app)
    {
        app.MapGet("/ops", () => Serve("index.html")).ExcludeFromDescription();
        app.MapGet("/ops/{file}", (string file) => Serve(file)).ExcludeFromDescription();
    }

    private static IResult Serve(string file) =>
        Files.TryGetValue(file, out var f) ? TypedResults.Bytes(f.Content, f.Type) : TypedResults.NotFound();

    private static FrozenDictionary<string, (byte[], string)> Load()
    {
        var assembly = typeof(OpsDashboard).Assembly;
        var prefix = $"{assembly.GetName().Name}.Ops.Dashboard.";
        return assembly.GetManifestResourceNames().Where(n => n.StartsWith(prefix, StringComparison.Ordinal)).ToFrozenDictionary(
            n => n[prefix.Length..],
            n =>
            {
                using var stream = assembly.GetManifestResourceStream(n)!;
                using var copy = new MemoryStream();
                stream.CopyTo(copy);
                var type = Path.GetExtension(n) switch { ".js" => "text/javascript; charset=utf-8", ".css" => "text/css; charset=utf-8", _ => "text/html; charset=utf-8" };
                return (copy.ToArray(), type);
            });
    }
}

using System.Collections.Frozen;
using Microsoft.AspNetCore.Http;

namespace Taskee.Api.Infrastructure;

/// <summary>
/// Static pages embedded in the assembly (plain HTML, CSS and JS: no CDN, no build step, works offline), served from memory
/// by every node. One instance per folder.
/// </summary>
public sealed class EmbeddedFiles
{
    private readonly FrozenDictionary<string, (byte[] Content, string Type)> _files;

    /// <param name="folder">The folder under the project, with dots for slashes: <c>Ops.Dashboard</c>.</param>
    public EmbeddedFiles(string folder)
    {
        var assembly = typeof(EmbeddedFiles).Assembly;
        var prefix = $"{assembly.GetName().Name}.{folder}.";
        _files = assembly.GetManifestResourceNames().Where(n => n.StartsWith(prefix, StringComparison.Ordinal)).ToFrozenDictionary(
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

    public IResult Serve(string file) =>
        _files.TryGetValue(file, out var f) ? TypedResults.Bytes(f.Content, f.Type) : TypedResults.NotFound();
}

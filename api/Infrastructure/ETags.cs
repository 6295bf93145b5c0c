using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;

namespace Taskee.Api.Infrastructure;

/// <summary>Versions as strong ETags (<c>"7"</c>) and the If-Match / If-None-Match checks on them.</summary>
public static class ETags
{
    public static string Format(long version) => $"\"{version}\"";

    public static string Format(string opaque) => $"\"{opaque}\"";

    public static void Set(HttpContext context, string etag) => context.Response.Headers.ETag = etag;

    /// <summary>The version an If-Match header asks for; null when absent or <c>*</c>. False when it is not a version.</summary>
    public static bool TryReadIfMatch(HttpRequest request, out long? version)
    {
        version = null;
        var header = request.Headers.IfMatch.ToString();
        if (string.IsNullOrWhiteSpace(header) || header.Trim() == "*") return true;
        var value = header.Trim();
        if (value.StartsWith("W/", StringComparison.Ordinal)) value = value[2..];
        value = value.Trim('"');
        if (!long.TryParse(value, out var parsed)) return false;
        version = parsed;
        return true;
    }

    /// <summary>True when If-None-Match lists <paramref name="etag"/> (or is <c>*</c>): answer 304.</summary>
    public static bool NoneMatchHits(HttpRequest request, string etag)
    {
        if (!EntityTagHeaderValue.TryParseList(request.Headers.IfNoneMatch.Where(v => v is not null).Cast<string>().ToList(), out var tags) || tags is null) return false;
        var current = EntityTagHeaderValue.Parse(etag);
        return tags.Any(t => t.Equals(EntityTagHeaderValue.Any) || t.Compare(current, useStrongComparison: false));
    }
}

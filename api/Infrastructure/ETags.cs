using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;

namespace Taskee.Api.Infrastructure;

/// <summary>Versions as strong ETags (<c>"7"</c>) and the If-Match / If-None-Match checks on them.</summary>
public static class ETags
{
    public static string Format(long version) => $"\"{version}\"";

    public static string Format(string opaque) => $"\"{opaque}\"";

    public static void Set(HttpContext context, string etag) => context.Response.Headers.ETag = etag;

    /// <summary>A version no organisation ever has: what a well-formed tag of something else stands for.</summary>
    public const long NoVersion = -1;

    /// <summary>
    /// The version an If-Match header asks for; null when absent or <c>*</c>. False only when the header is not a list of
    /// entity tags (400). A well-formed tag that is not one of our versions, or a weak one (If-Match compares strongly,
    /// RFC 9110 13.1.1), gives <see cref="NoVersion"/>, which never matches: 412.
    /// </summary>
    public static bool TryReadIfMatch(HttpRequest request, out long? version)
    {
        version = null;
        var values = request.Headers.IfMatch.Where(v => !string.IsNullOrWhiteSpace(v)).Cast<string>().ToList();
        if (values.Count == 0) return true;
        if (!EntityTagHeaderValue.TryParseStrictList(values, out var tags) || tags is null || tags.Count == 0) return false;
        if (tags.Any(t => t.Equals(EntityTagHeaderValue.Any))) return true;
        version = tags.Where(t => !t.IsWeak).Select(t => long.TryParse(t.Tag.AsSpan().Trim('"'), out var v) && v > 0 ? v : NoVersion)
            .FirstOrDefault(v => v != NoVersion, NoVersion);
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

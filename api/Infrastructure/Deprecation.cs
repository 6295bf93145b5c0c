using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Taskee.Api.Infrastructure;

/// <summary>
/// Endpoint metadata of a deprecated route (docs/api/versioning.md): when it was deprecated, when it goes away and
/// where the migration is described. The header values are formatted once, when the route is mapped.
/// </summary>
public sealed class ApiDeprecation
{
    public const string DeprecationHeader = "Deprecation";
    public const string SunsetHeader = "Sunset";

    public ApiDeprecation(DateTimeOffset since, DateTimeOffset sunset, Uri link)
    {
        if (sunset <= since) throw new ArgumentException("A route's sunset must come after its deprecation.", nameof(sunset));
        Since = since;
        Sunset = sunset;
        Link = link;
        // RFC 9745: a structured-field date, "@" and Unix seconds. RFC 8594: an HTTP-date. RFC 8288 link relation.
        DeprecationValue = "@" + since.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        SunsetValue = sunset.UtcDateTime.ToString("r", CultureInfo.InvariantCulture);
        LinkValue = $"<{link.AbsoluteUri}>; rel=\"deprecation\"; type=\"text/html\"";
    }

    public DateTimeOffset Since { get; }
    public DateTimeOffset Sunset { get; }
    public Uri Link { get; }

    internal string DeprecationValue { get; }
    internal string SunsetValue { get; }
    internal string LinkValue { get; }

    internal void WriteHeaders(HttpResponse response)
    {
        response.Headers[DeprecationHeader] = DeprecationValue;
        response.Headers[SunsetHeader] = SunsetValue;
        response.Headers.Append("Link", LinkValue);
    }
}

public static class DeprecationExtensions
{
    /// <summary>
    /// Marks a route (or a group) deprecated since <paramref name="since"/> and gone at <paramref name="sunset"/>:
    /// every answer of its handler carries <c>Deprecation</c>, <c>Sunset</c> and a <c>Link rel="deprecation"</c> to
    /// <paramref name="link"/>, and the OpenAPI document marks the operation <c>deprecated: true</c>.
    /// </summary>
    public static TBuilder Deprecated<TBuilder>(this TBuilder builder, DateTimeOffset since, DateTimeOffset sunset, string link)
        where TBuilder : IEndpointConventionBuilder
    {
        var deprecation = new ApiDeprecation(since, sunset, new Uri(link, UriKind.Absolute));
        builder.WithMetadata(deprecation);
        // Set before the handler runs, so its answers keep them whatever it returns (a problem included).
        builder.AddEndpointFilter((invocation, next) =>
        {
            deprecation.WriteHeaders(invocation.HttpContext.Response);
            return next(invocation);
        });
        return builder;
    }
}

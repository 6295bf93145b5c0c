using System.Net;
using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;

namespace Taskee.Api.Identity.Saml;

/// <summary>
/// A refused sign-in as the caller can read it: a problem (RFC 9457) for a client that accepts JSON, else a short
/// HTML page for the person whose browser the IdP sent here. Either way a 4xx.
/// </summary>
public static class SamlRefusal
{
    public static IResult Answer(HttpContext http, int status, string title, string detail)
    {
        if (WantsJson(http.Request))
            return TypedResults.Problem(statusCode: status, title: title, detail: detail, extensions: new Dictionary<string, object?> { ["requestId"] = http.TraceIdentifier });
        var page = $"""
            <!doctype html>
            <html lang="en"><head><meta charset="utf-8"><title>{WebUtility.HtmlEncode(title)}</title></head>
            <body><h1>{WebUtility.HtmlEncode(title)}</h1><p>{WebUtility.HtmlEncode(detail)}</p>
            <p>Ask your organisation's administrator, quoting request id <code>{WebUtility.HtmlEncode(http.TraceIdentifier)}</code>.</p></body></html>
            """;
        return TypedResults.Content(page, "text/html; charset=utf-8", statusCode: status);
    }

    private static bool WantsJson(HttpRequest request) =>
        request.GetTypedHeaders().Accept.Any(a => a.MediaType.Value is "application/json" or "application/problem+json");
}

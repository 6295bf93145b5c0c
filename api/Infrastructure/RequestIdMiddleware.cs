using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http;

namespace Taskee.Api.Infrastructure;

/// <summary>
/// Takes the caller's <c>X-Request-Id</c> when it is a sane token, else keeps the server's id; echoes it back,
/// so a request can be followed from the caller's logs through ours into the audit log.
/// </summary>
public sealed partial class RequestIdMiddleware(RequestDelegate next)
{
    public Task InvokeAsync(HttpContext context)
    {
        var offered = context.Request.Headers[RequestContext.RequestIdHeader].ToString();
        if (SaneId().IsMatch(offered)) context.TraceIdentifier = offered;
        context.Response.Headers[RequestContext.RequestIdHeader] = context.TraceIdentifier;
        return next(context);
    }

    [GeneratedRegex("^[A-Za-z0-9._:-]{1,128}$", RegexOptions.CultureInvariant)]
    private static partial Regex SaneId();
}

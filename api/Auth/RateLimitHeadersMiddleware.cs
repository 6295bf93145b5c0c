using Microsoft.AspNetCore.Http;

namespace Taskee.Api.Auth;

/// <summary>Adds the rate-limit headers to every answer of a request the limiter let through (after the limiter).</summary>
public sealed class RateLimitHeadersMiddleware(RequestDelegate next, RateLimitBuckets buckets)
{
    public Task InvokeAsync(HttpContext context)
    {
        buckets.WriteHeaders(context);
        return next(context);
    }
}

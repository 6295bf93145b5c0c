using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Http;
using Taskee.Api.Infrastructure;

namespace Taskee.Api.Auth;

/// <summary>
/// After authorization: takes a token from the caller's key bucket and then its organisation's, refusing with 429,
/// Retry-After and a problem when either is empty, and adds the rate-limit headers to every answer it lets through.
/// (A token taken from the key bucket is not returned when the organisation's refuses, as with a chained limiter.)
/// </summary>
public sealed class RateLimitMiddleware(RequestDelegate next, RateLimitBuckets buckets)
{
    public Task InvokeAsync(HttpContext context)
    {
        var found = buckets.Find(context);
        if (!found.Apply) return next(context);

        using (var lease = found.Key!.AttemptAcquire())
            if (!lease.IsAcquired) return RefuseAsync(context, found, lease);
        using (var lease = found.Organisation!.AttemptAcquire())
            if (!lease.IsAcquired) return RefuseAsync(context, found, lease);

        buckets.WriteHeaders(context, found);
        return next(context);
    }

    private Task RefuseAsync(HttpContext context, in RateLimitBuckets.Buckets found, RateLimitLease lease)
    {
        var retryAfter = lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds)) : 1;
        context.Response.Headers.RetryAfter = retryAfter.ToString(CultureInfo.InvariantCulture);
        buckets.WriteHeaders(context, found, retryAfter);
        return Problems.Write(context, StatusCodes.Status429TooManyRequests, "Too Many Requests",
            $"The rate limit of this key or organisation is reached; retry after {retryAfter} s. Higher plans have higher limits.");
    }
}

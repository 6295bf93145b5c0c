using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;
using Taskee.Api.Infrastructure;

namespace Taskee.Api.Sales;

/// <summary>
/// The intake's per-address limit: <see cref="LeadOptions.PerIpPerHour"/> posts per hour from one IP address, counted
/// before the body is read, so a flood costs a token check and nothing else. The callers are anonymous, so the plan-based
/// limits of <see cref="Auth.RateLimits"/> do not apply to them.
/// </summary>
public sealed class LeadIntakeRateLimit(IOptions<LeadOptions> options) : IRateLimiterPolicy<string>
{
    public const string Name = "lead-intake";

    public Func<OnRejectedContext, CancellationToken, ValueTask>? OnRejected { get; } = async (rejected, _) =>
    {
        var retryAfter = rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds)) : 60;
        rejected.HttpContext.Response.Headers.RetryAfter = retryAfter.ToString(CultureInfo.InvariantCulture);
        await Problems.Write(rejected.HttpContext, StatusCodes.Status429TooManyRequests, "Too Many Requests",
            $"Too many requests were sent from this address; try again in {retryAfter} s, or e-mail sales directly. Nothing was stored.");
    };

    public RateLimitPartition<string> GetPartition(HttpContext httpContext) =>
        RateLimitPartition.GetFixedWindowLimiter(httpContext.Connection.RemoteIpAddress?.ToString() ?? "unknown", _ => new FixedWindowRateLimiterOptions
        {
            PermitLimit = options.Value.PerIpPerHour,
            Window = TimeSpan.FromHours(1),
            QueueLimit = 0,
            AutoReplenishment = true,
        });
}

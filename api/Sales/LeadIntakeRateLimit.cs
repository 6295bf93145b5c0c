using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;
using Taskee.Api.Infrastructure;

namespace Taskee.Api.Sales;

/// <summary>
/// A limit per IP address for the public sales endpoints, counted before the body is read, so a flood costs a counter and
/// nothing else. Their callers are anonymous, so the plan-based limits of <see cref="Auth.RateLimits"/> do not apply.
/// </summary>
public abstract class PerAddressRateLimit : IRateLimiterPolicy<string>
{
    protected abstract int PermitLimit { get; }

    protected abstract TimeSpan Window { get; }

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
            PermitLimit = PermitLimit,
            Window = Window,
            QueueLimit = 0,
            AutoReplenishment = true,
        });
}

/// <summary>The intake: <see cref="LeadOptions.PerIpPerHour"/> posts per hour from one address.</summary>
public sealed class LeadIntakeRateLimit(IOptions<LeadOptions> options) : PerAddressRateLimit
{
    public const string Name = "lead-intake";

    protected override int PermitLimit => options.Value.PerIpPerHour;

    protected override TimeSpan Window => TimeSpan.FromHours(1);
}

/// <summary>The pricing calculator: <see cref="LeadOptions.CalculationsPerIpPerMinute"/> calculations per minute from one address.</summary>
public sealed class QuoteCalculatorRateLimit(IOptions<LeadOptions> options) : PerAddressRateLimit
{
    public const string Name = "quote-calculator";

    protected override int PermitLimit => options.Value.CalculationsPerIpPerMinute;

    protected override TimeSpan Window => TimeSpan.FromMinutes(1);
}

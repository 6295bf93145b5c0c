using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Taskee.Api.Infrastructure;

namespace Taskee.Api.Auth;

/// <summary>Requests per second (sustained) for one plan; bursts of twice that are allowed.</summary>
public sealed class PlanRateLimit
{
    public int AdminPerSecond { get; set; }
    public int UsagePerSecond { get; set; }
}

/// <summary>
/// Configuration section <c>RateLimits</c>: per plan, for the admin API and for the product (usage) API.
/// Each API key gets the plan's rate; its organisation as a whole gets <see cref="OrganisationMultiplier"/> times it.
/// Platform callers are not limited. Plans not listed (custom plans) get the enterprise rates.
/// </summary>
public sealed class RateLimitOptions
{
    public const string Section = "RateLimits";

    public bool Enabled { get; set; } = true;

    public int OrganisationMultiplier { get; set; } = 4;

    public Dictionary<string, PlanRateLimit> Plans { get; set; } = new(StringComparer.Ordinal)
    {
        ["starter"] = new() { AdminPerSecond = 10, UsagePerSecond = 200 },
        ["pro"] = new() { AdminPerSecond = 25, UsagePerSecond = 1000 },
        ["enterprise"] = new() { AdminPerSecond = 100, UsagePerSecond = 10000 },
    };

    public PlanRateLimit For(string? plan) =>
        plan is not null && Plans.TryGetValue(plan, out var limit) ? limit : Plans.GetValueOrDefault("enterprise") ?? new() { AdminPerSecond = 100, UsagePerSecond = 10000 };
}

public static class RateLimits
{
    /// <summary>A chained limiter per API key (or person) and per organisation; the product API has its own budget.</summary>
    public static IServiceCollection AddTaskeeRateLimits(this IServiceCollection services)
    {
        services.AddOptions<RateLimitOptions>().BindConfiguration(RateLimitOptions.Section)
            .Validate(o => o.OrganisationMultiplier >= 1 && o.Plans.Values.All(p => p.AdminPerSecond > 0 && p.UsagePerSecond > 0),
                "RateLimits: every plan's AdminPerSecond and UsagePerSecond must be positive, and OrganisationMultiplier at least 1.")
            .ValidateOnStart();

        // The limiter's options are configured from the container, so partitioning reads settings and plans directly
        // instead of resolving them from the request's services twice per request.
        services.AddRateLimiter(_ => { });
        services.AddOptions<RateLimiterOptions>().Configure<IOptions<RateLimitOptions>, OrganisationPlans>((limiter, rates, plans) =>
        {
            limiter.GlobalLimiter = PartitionedRateLimiter.CreateChained(
                PartitionedRateLimiter.Create<HttpContext, PartitionKey>(context => Partition(context, rates.Value, plans, perOrganisation: false)),
                PartitionedRateLimiter.Create<HttpContext, PartitionKey>(context => Partition(context, rates.Value, plans, perOrganisation: true)));
            limiter.OnRejected = async (rejected, ct) =>
            {
                var retryAfter = rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds)) : 1;
                rejected.HttpContext.Response.Headers.RetryAfter = retryAfter.ToString(CultureInfo.InvariantCulture);
                await Problems.Write(rejected.HttpContext, StatusCodes.Status429TooManyRequests, "Too Many Requests",
                    $"The rate limit of this key or organisation is reached; retry after {retryAfter} s. Higher plans have higher limits.");
            };
        });
        return services;
    }

    /// <summary>
    /// One token bucket per API, rate, and key or organisation. A struct key, so picking the partition of a request
    /// allocates nothing; the rate is part of it, so a plan change moves the caller to a bucket of the new rate.
    /// </summary>
    private readonly record struct PartitionKey(bool Usage, int PerSecond, string Kind, string Id);

    private static RateLimitPartition<PartitionKey> Partition(HttpContext context, RateLimitOptions options, OrganisationPlans plans, bool perOrganisation)
    {
        if (!options.Enabled || Caller.From(context.User) is not { IsPlatform: false } caller) return RateLimitPartition.GetNoLimiter(default(PartitionKey));

        var usage = IsProductApi(context.Request.Path);
        var limit = options.For(plans.PlanOf(caller.OrgId!));
        var perSecond = (usage ? limit.UsagePerSecond : limit.AdminPerSecond) * (perOrganisation ? options.OrganisationMultiplier : 1);
        var key = perOrganisation ? new PartitionKey(usage, perSecond, "org", caller.OrgId!) : new PartitionKey(usage, perSecond, caller.Kind, caller.Id);
        return RateLimitPartition.GetTokenBucketLimiter(key, static k => new TokenBucketRateLimiterOptions
        {
            TokenLimit = k.PerSecond * 2,
            TokensPerPeriod = k.PerSecond,
            ReplenishmentPeriod = TimeSpan.FromSeconds(1),
            QueueLimit = 0,
            AutoReplenishment = true,
        });
    }

    private static bool IsProductApi(PathString path) =>
        path.StartsWithSegments("/v1/usage")
        || (path.Value is { } p && (p.Contains("/usage/", StringComparison.Ordinal) || p.Contains("/features/", StringComparison.Ordinal) || p.EndsWith("/entitlements", StringComparison.Ordinal)));
}

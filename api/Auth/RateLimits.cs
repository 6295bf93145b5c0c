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

        // The per-key and per-organisation buckets are RateLimitMiddleware's; the framework's limiter serves the
        // named policies of single endpoints (the public intake form, the quote calculator).
        services.AddSingleton<RateLimitBuckets>();
        services.AddRateLimiter(_ => { });
        return services;
    }

    internal static bool IsProductApi(PathString path) =>
        path.StartsWithSegments("/v1/usage")
        || (path.Value is { } p && (p.Contains("/usage/", StringComparison.Ordinal) || p.Contains("/features/", StringComparison.Ordinal) || p.EndsWith("/entitlements", StringComparison.Ordinal)));
}

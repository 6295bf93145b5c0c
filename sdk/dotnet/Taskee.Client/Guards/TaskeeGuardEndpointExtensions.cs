using Microsoft.AspNetCore.Builder;

namespace Taskee.Client.Guards;

public static class TaskeeGuardEndpointExtensions
{
    /// <summary>Only organisations with the feature enabled reach the endpoint (or every endpoint of the group).</summary>
    public static TBuilder RequireFeature<TBuilder>(this TBuilder builder, string feature) where TBuilder : IEndpointConventionBuilder
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(feature);
        return builder.WithMetadata(new RequireFeatureAttribute(feature));
    }

    /// <summary>
    /// Consumes <paramref name="amount"/> of <paramref name="metric"/> before the handler; 429 when the quota refuses. When the
    /// handler throws or answers 5xx the amount is released for a gauge (storage_bytes); a counter (ai_calls) cannot be given back
    /// within its period, so its consumption stands (the call was attempted) and that is logged.
    /// </summary>
    public static TBuilder ConsumesQuota<TBuilder>(this TBuilder builder, string metric, long amount = 1) where TBuilder : IEndpointConventionBuilder
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(metric);
        ArgumentOutOfRangeException.ThrowIfLessThan(amount, 1);
        // Seats change only through members; the node refuses to consume them, so refuse here, at start-up.
        if (metric == "seats") throw new ArgumentException("Seats change only through members (POST /v1/organisations/{orgId}/members); guard another metric.", nameof(metric));
        return builder.WithMetadata(new ConsumesQuotaMetadata(metric, amount));
    }

    /// <summary>Enforces <see cref="RequireFeatureAttribute"/> and <c>ConsumesQuota</c> on the matched endpoint: after routing, before the handler.</summary>
    public static IApplicationBuilder UseTaskeeGuards(this IApplicationBuilder app) => app.UseMiddleware<TaskeeGuardMiddleware>();
}

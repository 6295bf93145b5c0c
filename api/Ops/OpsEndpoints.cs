using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Taskee.Api.Auth;
using Taskee.Api.Usage;
using Taskee.Grains;
using Taskee.Grains.Quota;

namespace Taskee.Api.Ops;

/// <summary>This node's quota counters: what load generators and the (planned) ops dashboard read.</summary>
public sealed record QuotaStats(string NodeId, DateTimeOffset StartedAt, int ActiveGrains, long Decisions, long Denials, long LedgerRoundTrips);

public static class OpsEndpoints
{
    public const string BareEndpointSetting = "Bench:BareEndpoint";

    public static void MapOpsEndpoints(this IEndpointRouteBuilder app, IConfiguration configuration)
    {
        app.MapGet("/v1/ops/quota", GetQuotaStats).RequireAuthorization(Permissions.OpsRead).WithTags("Ops").WithName("GetQuotaStats");

        // Off unless configured: the baseline the HTTP benchmark compares consume with. Same JSON in and out, no work.
        if (configuration.GetValue<bool>(BareEndpointSetting))
        {
            app.MapPost("/bench/bare", (AmountRequest body) =>
                TypedResults.Ok(new UsageResponse(true, 1, body.Amount ?? 0, 0, null, "ok"))).ExcludeFromDescription();
        }
    }

    public static Ok<QuotaStats> GetQuotaStats(QuotaMetrics metrics, NodeIdentity node, GrainDirectory grains) =>
        TypedResults.Ok(new QuotaStats(node.Id, node.StartedAt, grains.ActiveCount, metrics.Decisions, metrics.Denials, metrics.LedgerRoundTrips));
}

using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Threading.Channels;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;
using Orleans.Runtime;
using Orleans.Streams;
using Taskee.Api.Audit;
using Taskee.Api.Auth;
using Taskee.Api.Auth.Jwt;
using Taskee.Api.Infrastructure;
using Taskee.Api.Usage;
using Taskee.Api.Cluster;
using Taskee.Grains.Audit;
using Taskee.Grains.Interfaces;
using Taskee.Grains.Quota;
using Taskee.Grains.Storage;

namespace Taskee.Api.Ops;

/// <summary>This node's quota counters: what load generators read.</summary>
public sealed record QuotaStats(string NodeId, DateTimeOffset StartedAt, int ActiveGrains, long Decisions, long Denials, long LedgerRoundTrips);

public sealed record OpsNode(string Id, string Address, string Version, DateTimeOffset StartedAt, double UptimeSeconds, double HeartbeatAgeSeconds,
    bool Alive, bool Self, NodeStats? Stats);

public sealed record OpsOrganisationLine(string OrgId, long Decisions, long Denials, string? Metric, double? UsedFraction);

public sealed record OpsOrganisations(IReadOnlyList<OpsOrganisationLine> TopByTraffic, IReadOnlyList<OpsOrganisationLine> TopByDenials, IReadOnlyList<OpsOrganisationLine> NearLimit);

public sealed record OpsIssuer(string Issuer, string? OrgId, bool Stale, DateTimeOffset? LastSuccess, string? LastError, int Keys);

public sealed record OpsOverview(DateTimeOffset At, IReadOnlyList<OpsNode> Nodes, OpsOrganisations Organisations, WebhookHealthStatus Webhooks,
    IReadOnlyList<OpsIssuer> Jwks, double AuditLagSeconds);

/// <param name="Silo">The silo whose activation holds the organisation (its address in GET /v1/cluster/nodes).</param>
public sealed record OpsOrganisationDetail(object Organisation, object Entitlements, IReadOnlyDictionary<string, UsageResponse> Usage, long Decisions, long Denials, string Silo);

/// <summary>The JSON behind the /ops dashboard (platform permission <c>platform:ops:read</c>).</summary>
public static class OpsEndpoints
{
    public const string BareEndpointSetting = "Bench:BareEndpoint";

    public static void MapOpsEndpoints(this IEndpointRouteBuilder app, IConfiguration configuration)
    {
        var ops = app.MapGroup("/v1/ops").WithTags("Ops").RequireAuthorization(Permissions.OpsRead);
        ops.MapGet("/quota", GetQuotaStats).WithName("GetQuotaStats");
        ops.MapGet("/overview", GetOverviewAsync).WithName("GetOpsOverview");
        ops.MapGet("/organisations/{orgId}", GetOrganisationAsync).WithName("GetOpsOrganisation");
        ops.MapGet("/organisations/{orgId}/audit/stream", StreamAuditAsync).WithName("StreamOrganisationAudit");
        ops.MapGet("/sla", SlaEndpoints.GetClusterSlaAsync).WithName("GetClusterSla");
        ops.MapGet("/webhooks", OpsWebhookEndpoints.GetAsync).WithName("GetOpsWebhooks");
        app.MapGet("/v1/organisations/{orgId}/sla", SlaEndpoints.GetOrganisationSlaAsync)
            .RequireAuthorization(Permissions.OrgRead).WithTags("Ops").WithName("GetOrganisationSla");

        // Off unless configured: the baseline the HTTP benchmark compares consume with. Same JSON in and out, no work.
        if (configuration.GetValue<bool>(BareEndpointSetting))
        {
            app.MapPost("/bench/bare", (AmountRequest body) =>
                TypedResults.Ok(new UsageResponse(true, 1, body.Amount ?? 0, 0, null, "ok"))).ExcludeFromDescription();
        }
    }

    public static Ok<QuotaStats> GetQuotaStats(QuotaMetrics metrics, TrafficMeter traffic, NodeIdentity node) =>
        TypedResults.Ok(new QuotaStats(node.Id, node.StartedAt, metrics.ActiveGrains, traffic.Decisions, traffic.Denials, metrics.LedgerRoundTrips));

    public static async Task<Ok<OpsOverview>> GetOverviewAsync(
        IGrainFactory factory, IOpsStore store, NodeIdentity self, TrafficMeter traffic, OrganisationGrains grains, IssuerRegistry issuers,
        IWebhookHealth webhooks, AuditLag auditLag, IOptions<OpsOptions> options, TimeProvider clock, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var stats = await store.NodeStatsAsync(ct);
        var nodes = (await ClusterEndpoints.ListAsync(factory, self, clock)).Select(n =>
        {
            var published = stats.TryGetValue(n.Id, out var json) ? JsonSerializer.Deserialize<NodeStats>(json, AuditJsonOptions.Options) : null;
            return new OpsNode(n.Id, n.Address, published?.Version ?? "", n.StartedAt, n.UptimeSeconds, n.HeartbeatAgeSeconds, n.Alive, n.Self, published);
        }).ToList();

        var lines = traffic.Organisations.Select(o => new OpsOrganisationLine(o.Key, Interlocked.Read(ref o.Value.Decisions), Interlocked.Read(ref o.Value.Denials), null, null)).ToList();
        var nearLimit = new List<OpsOrganisationLine>();
        // The organisations this silo served most: asking every organisation of the cluster would not scale.
        foreach (var orgId in lines.OrderByDescending(l => l.Decisions).Take(50).Select(l => l.OrgId))
        {
            var grain = grains.Get(orgId);
            foreach (var (metric, usage) in await grain.GetUsageAsync() ?? new Dictionary<string, UsageResult>())
            {
                if (usage.Limit <= 0) continue;
                var fraction = (double)usage.Used / usage.Limit;
                if (fraction >= options.Value.NearLimitFraction)
                    nearLimit.Add(new OpsOrganisationLine(orgId, 0, 0, metric, Math.Round(fraction, 3)));
            }
        }

        var organisations = new OpsOrganisations(
            lines.OrderByDescending(l => l.Decisions).Take(10).ToList(),
            lines.Where(l => l.Denials > 0).OrderByDescending(l => l.Denials).Take(10).ToList(),
            nearLimit.OrderByDescending(l => l.UsedFraction).Take(10).ToList());
        var jwks = issuers.All.Select(i => new OpsIssuer(i.Metadata.Issuer, i.Sso?.OrgId, i.Metadata.IsStale(now), i.Metadata.LastSuccess, i.Metadata.LastError, i.Metadata.Keys.Count)).ToList();
        return TypedResults.Ok(new OpsOverview(now, nodes, organisations, webhooks.Status(), jwks, Math.Round(auditLag.Seconds, 2)));
    }

    public static async Task<Results<Ok<OpsOrganisationDetail>, ProblemHttpResult>> GetOrganisationAsync(
        string orgId, OrganisationGrains grains, TrafficMeter traffic, CancellationToken ct)
    {
        var grain = grains.Get(orgId);
        if (await grain.GetOrganisationAsync() is not { } found) return Problems.OrganisationNotFound(orgId);
        var organisation = Organisations.OrganisationResponse.From(found);
        var entitlements = (await grain.GetEntitlementsAsync())!;
        var usage = (await grain.GetUsageAsync())!.ToDictionary(u => u.Key, u => UsageResponse.From(u.Value));
        var counters = traffic.Organisations.GetValueOrDefault(orgId);
        return TypedResults.Ok(new OpsOrganisationDetail(organisation,
            new { entitlements.PlanId, entitlements.Status, entitlements.Limits, entitlements.Features, entitlements.Version },
            usage, counters?.Decisions ?? 0, counters?.Denials ?? 0, await grain.GetSiloAsync()));
    }

    /// <summary>
    /// Server-sent events: the organisation's audit events after <c>after</c> (or Last-Event-ID), then each new one
    /// as it is written. Event ids are chain positions, so a reconnecting client resumes where it stopped.
    /// </summary>
    public static async Task<Results<EmptyHttpResult, ProblemHttpResult>> StreamAuditAsync(
        string orgId, OrganisationGrains grains, IClusterClient cluster, IAuditStore audit, IAuditRevealer revealer, AuditLag lag, TimeProvider clock, HttpContext http,
        CancellationToken ct, long? after = null)
    {
        if (await grains.GetAsync(orgId, ct) is null) return Problems.OrganisationNotFound(orgId);
        var position = after ?? (long.TryParse(http.Request.Headers["Last-Event-ID"].ToString(), out var last) ? last : 0);

        // Committed events arrive on the organisation's audit stream; the log is the source of truth for anything the
        // stream did not bring in order (before the subscription, a gap, a silo failover).
        var live = Channel.CreateBounded<AuditEvent>(new BoundedChannelOptions(1000) { FullMode = BoundedChannelFullMode.DropOldest });
        var stream = cluster.GetStreamProvider(ProviderNames.AuditStreams).GetStream<AuditEvent>(StreamId.Create(ProviderNames.AuditNamespace, orgId));
        var subscription = await stream.SubscribeAsync((e, _) => { live.Writer.TryWrite(e); return Task.CompletedTask; });

        http.Response.ContentType = "text/event-stream";
        http.Response.Headers.CacheControl = "no-cache";
        http.Response.Headers["X-Accel-Buffering"] = "no";
        await http.Response.Body.FlushAsync(ct);
        try
        {
            var fromLog = true;
            while (!ct.IsCancellationRequested)
            {
                if (fromLog)
                {
                    IReadOnlyList<AuditEvent> events;
                    do
                    {
                        events = await audit.ReadAsync(orgId, position, 100, ct: ct);
                        foreach (var e in events) position = await WriteEventAsync(http, e, revealer, lag, clock, ct);
                    } while (events.Count == 100);
                    await http.Response.Body.FlushAsync(ct);
                }

                // Wait for the stream; every 15 s a keep-alive, and a look at the log in case the stream missed something.
                using var wait = CancellationTokenSource.CreateLinkedTokenSource(ct);
                wait.CancelAfter(TimeSpan.FromSeconds(15));
                try
                {
                    var next = await live.Reader.ReadAsync(wait.Token);
                    fromLog = next.Seq > position + 1;
                    if (next.Seq == position + 1)
                    {
                        position = await WriteEventAsync(http, next, revealer, lag, clock, ct);
                        while (live.Reader.TryRead(out var more) && more.Seq <= position + 1)
                            if (more.Seq == position + 1) position = await WriteEventAsync(http, more, revealer, lag, clock, ct);
                        await http.Response.Body.FlushAsync(ct);
                    }
                }
                catch (OperationCanceledException) when (!ct.IsCancellationRequested)
                {
                    await http.Response.Body.WriteAsync(": keep-alive\n\n"u8.ToArray(), ct);
                    await http.Response.Body.FlushAsync(ct);
                    fromLog = true;
                }
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // the client went away
        }
        finally
        {
            await subscription.UnsubscribeAsync();
        }
        return TypedResults.Empty;
    }

    private static async Task<long> WriteEventAsync(HttpContext http, AuditEvent e, IAuditRevealer revealer, AuditLag lag, TimeProvider clock, CancellationToken ct)
    {
        var data = JsonSerializer.Serialize(AuditEventResponse.From((await revealer.RevealAsync(e, ct)).Shown), AuditJsonOptions.Options);
        await http.Response.Body.WriteAsync(Encoding.UTF8.GetBytes($"id: {e.Seq}\nevent: audit\ndata: {data}\n\n"), ct);
        lag.Observe(clock.GetUtcNow() - DateTimeOffset.Parse(e.At, CultureInfo.InvariantCulture));
        return e.Seq;
    }
}

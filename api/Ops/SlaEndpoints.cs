using System.Globalization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Taskee.Api.Infrastructure;
using Taskee.Grains.Storage;

namespace Taskee.Api.Ops;

/// <param name="Uptime">Fraction of the observed sample intervals in which the node (or, for the cluster, any node) was ready.</param>
/// <param name="ErrorRate">Fraction of API requests answered 5xx.</param>
public sealed record SlaFigures(double Uptime, double ErrorRate, long Requests, long Errors, long Samples);

public sealed record NodeSla(string NodeId, SlaFigures Figures);

public sealed record ClusterSla(string Month, DateTimeOffset From, DateTimeOffset To, SlaFigures Cluster, IReadOnlyList<NodeSla> Nodes);

/// <param name="Availability">Fraction of the organisation's product API requests not answered 5xx.</param>
public sealed record OrganisationSla(string OrgId, string Month, long Requests, long Errors, double Availability, double MeanLatencyMs, double MaxLatencyMs);

/// <summary>SLA reports from recorded health samples: per month, per node and for the cluster; per organisation.</summary>
public static class SlaEndpoints
{
    public static async Task<Results<Ok<ClusterSla>, ValidationProblem>> GetClusterSlaAsync(
        IOpsStore store, IOptions<OpsOptions> options, TimeProvider clock, CancellationToken ct, string? month = null)
    {
        if (!TryMonth(month, clock, out var from, out var to)) return BadMonth();
        var samples = await store.HealthSamplesAsync(from, to, ct);
        var interval = options.Value.SampleInterval;

        var nodes = samples.GroupBy(s => s.NodeId).Select(g => new NodeSla(g.Key, Figures(g.ToList(), g.Count(s => s.Ready), g.Count()))).ToList();
        // The cluster is up in an interval when any node was ready in it; intervals are counted from the first sample.
        var slots = samples.GroupBy(s => s.At.UtcTicks / interval.Ticks).ToList();
        var observed = samples.Count == 0 ? 0 : (long)Math.Max(1, Math.Round((Min(to, clock.GetUtcNow()) - samples[0].At) / interval));
        var cluster = Figures(samples, slots.Count(g => g.Any(s => s.Ready)), Math.Max(observed, slots.Count));
        return TypedResults.Ok(new ClusterSla(month ?? from.ToString("yyyy-MM", CultureInfo.InvariantCulture), from, to, cluster, nodes));
    }

    public static async Task<Results<Ok<OrganisationSla>, ValidationProblem, ProblemHttpResult>> GetOrganisationSlaAsync(
        string orgId, IOpsStore store, OrganisationGrains grains, TimeProvider clock, CancellationToken ct, string? month = null)
    {
        if (!TryMonth(month, clock, out var from, out var to)) return BadMonth();
        if (await grains.GetAsync(orgId, ct) is null) return Problems.OrganisationNotFound(orgId);
        var samples = await store.OrganisationSamplesAsync(orgId, from, to, ct);
        var requests = samples.Sum(s => s.Requests);
        var errors = samples.Sum(s => s.Errors);
        var decided = requests - errors;
        return TypedResults.Ok(new OrganisationSla(orgId, from.ToString("yyyy-MM", CultureInfo.InvariantCulture), requests, errors,
            requests == 0 ? 1 : Math.Round(1 - (double)errors / requests, 6),
            decided <= 0 ? 0 : Math.Round(samples.Sum(s => s.LatencySumMicroseconds) / 1000.0 / decided, 3),
            samples.Count == 0 ? 0 : samples.Max(s => s.LatencyMaxMicroseconds) / 1000.0));
    }

    private static SlaFigures Figures(IReadOnlyList<HealthSample> samples, long up, long slots)
    {
        var requests = samples.Sum(s => s.Requests);
        var errors = samples.Sum(s => s.Errors);
        return new SlaFigures(slots == 0 ? 1 : Math.Round((double)up / slots, 6), requests == 0 ? 0 : Math.Round((double)errors / requests, 6), requests, errors, samples.Count);
    }

    private static bool TryMonth(string? month, TimeProvider clock, out DateTimeOffset from, out DateTimeOffset to)
    {
        var now = clock.GetUtcNow();
        from = new DateTimeOffset(now.Year, now.Month, 1, 0, 0, 0, TimeSpan.Zero);
        if (month is not null)
        {
            if (!DateTime.TryParseExact(month, "yyyy-MM", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var parsed))
            {
                to = default;
                return false;
            }
            from = new DateTimeOffset(parsed.Year, parsed.Month, 1, 0, 0, 0, TimeSpan.Zero);
        }
        to = from.AddMonths(1);
        return true;
    }

    private static ValidationProblem BadMonth() => Problems.Validation("month", "month must look like 2026-11 (YYYY-MM).");

    private static DateTimeOffset Min(DateTimeOffset a, DateTimeOffset b) => a < b ? a : b;
}

using System.Text.Json;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Taskee.Api.Infrastructure;
using Taskee.Grains.Quota;
using Taskee.Grains.Storage;

namespace Taskee.Api.Ops;

/// <summary>
/// Publishes this node's figures every Ops:StatsInterval (for the cluster dashboard) and records a health
/// sample with per-organisation traffic every Ops:SampleInterval (for SLA reports).
/// </summary>
public sealed partial class OpsSampler(
    IOpsStore store,
    TrafficMeter traffic,
    QuotaMetrics quota,
    RequestOutcomes outcomes,
    AuditLag auditLag,
    NodeIdentity node,
    StartupGate gate,
    IOptions<OpsOptions> options,
    TimeProvider clock,
    ILogger<OpsSampler> logger) : BackgroundService
{
    private readonly Dictionary<string, (long Decisions, long Errors, long LatencySum)> _lastOrganisations = new(StringComparer.Ordinal);
    private (long Decisions, long Denials, DateTimeOffset At) _lastTotals = (0, 0, DateTimeOffset.MinValue);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var o = options.Value;
        using var timer = new PeriodicTimer(o.StatsInterval, clock);
        var nextSample = clock.GetUtcNow() + o.SampleInterval;
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            if (!gate.IsOpen) continue;
            try
            {
                await store.SaveNodeStatsAsync(node.Id, JsonSerializer.Serialize(Stats(), AuditJsonOptions.Options), stoppingToken);
                if (clock.GetUtcNow() >= nextSample)
                {
                    await SampleAsync(stoppingToken);
                    nextSample += o.SampleInterval;
                }
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                LogFailed(ex);
            }
        }
    }

    private NodeStats Stats()
    {
        var now = clock.GetUtcNow();
        var decisions = traffic.Decisions;
        var denials = traffic.Denials;
        var seconds = _lastTotals.At == DateTimeOffset.MinValue ? 0 : (now - _lastTotals.At).TotalSeconds;
        var rate = seconds > 0 ? (decisions - _lastTotals.Decisions) / seconds : 0;
        var denialRate = seconds > 0 ? (denials - _lastTotals.Denials) / seconds : 0;
        _lastTotals = (decisions, denials, now);
        var latency = traffic.TakeLatency();
        return new NodeStats(now, quota.ActiveGrains, decisions, denials, Math.Round(rate, 1), Math.Round(denialRate, 1),
            latency.P50Microseconds, latency.P99Microseconds, quota.LedgerRoundTrips,
            Math.Round(quota.FlushLag.TotalSeconds, 2), Math.Round(auditLag.Seconds, 2), NodeIdentity.Version);
    }

    /// <summary>Records the sample of the interval that just ended: this node, and each organisation with traffic.</summary>
    public async Task SampleAsync(CancellationToken ct)
    {
        var at = clock.GetUtcNow();
        var (requests, errors) = outcomes.Take();
        var organisations = new List<OrganisationSample>();
        foreach (var (orgId, t) in traffic.Organisations)
        {
            var current = (Interlocked.Read(ref t.Decisions), Interlocked.Read(ref t.Errors), Interlocked.Read(ref t.LatencySumMicroseconds));
            var last = _lastOrganisations.GetValueOrDefault(orgId);
            _lastOrganisations[orgId] = current;
            var delta = current.Item1 - last.Decisions + current.Item2 - last.Errors;
            if (delta <= 0) continue;
            organisations.Add(new OrganisationSample(orgId, node.Id, at, current.Item1 - last.Decisions + current.Item2 - last.Errors,
                current.Item2 - last.Errors, current.Item3 - last.LatencySum, Interlocked.Exchange(ref t.LatencyMaxMicroseconds, 0)));
        }
        await store.RecordAsync(new HealthSample(node.Id, at, gate.IsOpen, requests, errors), organisations, ct);
    }

    [LoggerMessage(EventId = 6001, Level = LogLevel.Warning, Message = "Could not publish node figures or record a health sample")]
    private partial void LogFailed(Exception exception);
}

/// <summary>The delay between an audit event's time and its delivery to a live tail, as last observed.</summary>
public sealed class AuditLag : IDisposable
{
    private readonly System.Diagnostics.Metrics.Meter _meter = new("Taskee.Audit");
    private long _ticks;

    public AuditLag() => _meter.CreateObservableGauge("taskee.audit.stream_lag", () => Seconds, "s", "Delay from an audit event to its delivery on a live tail");

    public void Dispose() => _meter.Dispose();

    public double Seconds => TimeSpan.FromTicks(Interlocked.Read(ref _ticks)).TotalSeconds;

    public void Observe(TimeSpan lag) => Interlocked.Exchange(ref _ticks, Math.Max(0, lag.Ticks));
}

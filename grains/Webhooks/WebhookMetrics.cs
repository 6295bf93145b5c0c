using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Taskee.Grains.Webhooks;

/// <summary>
/// Meter <c>Taskee.Webhooks</c>: attempts by outcome and trigger, attempt latency, endpoints the service disabled, and
/// (from the silo that runs the sweep) how many endpoints stand disabled by the retry window.
/// </summary>
public sealed class WebhookMetrics : IDisposable
{
    public const string MeterName = "Taskee.Webhooks";

    private readonly Meter _meter = new(MeterName);
    private readonly Counter<long> _deliveries;
    private readonly Histogram<double> _duration;
    private readonly Counter<long> _disabled;
    private (long Count, long At, TimeSpan ValidFor)? _standingDisabled;

    public WebhookMetrics()
    {
        _deliveries = _meter.CreateCounter<long>("taskee.webhook.deliveries", "{attempt}", "Webhook delivery attempts, by outcome and trigger");
        _duration = _meter.CreateHistogram<double>("taskee.webhook.attempt.duration", "s", "Duration of one webhook attempt, connect to the first 1 KB of the answer",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60] });
        _disabled = _meter.CreateCounter<long>("taskee.webhook.endpoints.disabled", "{endpoint}", "Endpoints disabled because a message failed for the whole retry window");
        _meter.CreateObservableGauge("taskee.webhook.endpoints.disabled.current", ObserveStandingDisabled, "{endpoint}",
            "Endpoints that stand disabled by the retry window (reported by the silo running the webhook sweep)");
    }

    public void Attempted(WebhookAttemptResult result, string trigger)
    {
        _deliveries.Add(1, new KeyValuePair<string, object?>("outcome", result.Outcome), new KeyValuePair<string, object?>("trigger", trigger));
        _duration.Record(result.LatencyMs / 1000.0, new KeyValuePair<string, object?>("outcome", result.Outcome));
    }

    public void EndpointDisabled() => _disabled.Add(1);

    /// <summary>The sweep's count; reported until it is older than <paramref name="validFor"/> (the sweep may have moved to another silo).</summary>
    public void StandingDisabled(long count, TimeSpan validFor) => _standingDisabled = (count, Stopwatch.GetTimestamp(), validFor);

    private IEnumerable<Measurement<long>> ObserveStandingDisabled()
    {
        // Real elapsed time, not the service clock: a test's manual clock must not make a fresh count look stale.
        if (_standingDisabled is { } s && Stopwatch.GetElapsedTime(s.At) <= s.ValidFor) yield return new Measurement<long>(s.Count);
    }

    public void Dispose() => _meter.Dispose();
}

using System.Diagnostics.Metrics;

namespace Taskee.Api.Retention;

/// <summary>Instruments of the retention job: events pruned, and runs by outcome (a failed organisation fails the run).</summary>
public sealed class RetentionMetrics : IDisposable
{
    public const string MeterName = "Taskee.Retention";

    private readonly Meter _meter = new(MeterName);
    private readonly Counter<long> _pruned;
    private readonly Counter<long> _runs;

    public RetentionMetrics()
    {
        _pruned = _meter.CreateCounter<long>("taskee.audit.retention.pruned", "{event}", "Audit events deleted as past their retention");
        _runs = _meter.CreateCounter<long>("taskee.audit.retention.runs", "{run}", "Audit retention runs, by outcome (ok, failed)");
    }

    public void Pruned(long events) => _pruned.Add(events);

    public void Run(bool failed) => _runs.Add(1, new KeyValuePair<string, object?>("outcome", failed ? "failed" : "ok"));

    public void Dispose() => _meter.Dispose();
}

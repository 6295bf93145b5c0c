using System.Diagnostics.Metrics;

namespace Taskee.Client;

/// <summary>The SDK's instruments, on the meter <c>Taskee.Client</c>.</summary>
public sealed class TaskeeClientMeter
{
    public const string MeterName = "Taskee.Client";

    private readonly Counter<long> _failModeDecisions;

    public TaskeeClientMeter(IMeterFactory factory)
    {
        var meter = factory.Create(MeterName);
        _failModeDecisions = meter.CreateCounter<long>("taskee.client.fail_mode.decisions", description:
            "Guard decisions taken by fail mode because the control plane could not be reached");
    }

    public void FailModeDecision(string key, FailMode mode) =>
        _failModeDecisions.Add(1, new KeyValuePair<string, object?>("taskee.key", key), new KeyValuePair<string, object?>("taskee.fail_mode", mode == FailMode.Open ? "open" : "closed"));
}

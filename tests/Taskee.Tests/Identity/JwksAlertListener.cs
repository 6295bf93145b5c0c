using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Taskee.Api.Auth.Jwt;

namespace Taskee.Tests.Identity;

/// <summary>Records the <c>alert</c> tag of every <c>taskee.auth.jwks_alerts</c> increment (Prometheus: taskee_auth_jwks_alerts_total).</summary>
public sealed class JwksAlertListener : IDisposable
{
    private readonly MeterListener _listener = new();
    private readonly ConcurrentQueue<string> _alerts = new();

    public JwksAlertListener()
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == JwksMonitor.MeterName && instrument.Name == "taskee.auth.jwks_alerts") listener.EnableMeasurementEvents(instrument);
        };
        _listener.SetMeasurementEventCallback<long>((_, _, tags, _) =>
        {
            foreach (var tag in tags)
                if (tag.Key == "alert") _alerts.Enqueue(tag.Value?.ToString() ?? "");
        });
        _listener.Start();
    }

    public IReadOnlyCollection<string> Alerts => _alerts;

    public void Dispose() => _listener.Dispose();
}

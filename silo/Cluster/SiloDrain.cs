using Taskee.Api.Infrastructure;

namespace Taskee.Silo.Cluster;

/// <summary>
/// On SIGTERM, before anything stops: readiness turns false and new API calls get 503, so a load balancer moves traffic
/// away. Orleans' own graceful shutdown then deactivates every grain (each writes its usage and returns its reservation)
/// and leaves membership; the grains' next calls activate them on the remaining silos.
/// </summary>
public sealed partial class SiloDrain(StartupGate gate, ILogger<SiloDrain> logger) : IHostedLifecycleService
{
    public Task StoppingAsync(CancellationToken cancellationToken)
    {
        gate.Close();
        LogStopping();
        return Task.CompletedTask;
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(EventId = 5001, Level = LogLevel.Information, Message = "Silo stopping: readiness is false; grains deactivate and write their state")]
    private partial void LogStopping();
}

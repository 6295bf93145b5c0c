using Taskee.Api.Infrastructure;
using Taskee.Grains.Jobs;

namespace Taskee.Silo.Cluster;

/// <summary>Once the silo is ready, makes sure every periodic job's grain runs somewhere in the cluster.</summary>
public sealed partial class PeriodicJobStarter(IEnumerable<IPeriodicJob> jobs, IGrainFactory grains, StartupGate gate, ILogger<PeriodicJobStarter> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!gate.IsOpen) await Task.Delay(100, stoppingToken);
        foreach (var job in jobs)
        {
            for (var attempt = 1; !stoppingToken.IsCancellationRequested; attempt++)
            {
                try
                {
                    await grains.GetGrain<IPeriodicJobGrain>(job.Name).EnsureRunningAsync();
                    break;
                }
                catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
                {
                    LogStartFailed(ex, job.Name);
                    await Task.Delay(TimeSpan.FromSeconds(Math.Min(30, attempt)), stoppingToken);
                }
            }
        }
    }

    [LoggerMessage(EventId = 5201, Level = LogLevel.Warning, Message = "Could not start periodic job {Job}; retrying")]
    private partial void LogStartFailed(Exception exception, string job);
}

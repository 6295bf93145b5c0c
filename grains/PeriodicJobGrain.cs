using Microsoft.Extensions.Logging;
using Orleans.Runtime;
using Taskee.Grains.Jobs;

namespace Taskee.Grains;

/// <summary>
/// Runs one periodic job on a grain timer while active. A reminder (ADO.NET on PostgreSQL, in memory on a single
/// SQLite silo) keeps it alive: after the silo holding it fails, the reminder activates it on a survivor.
/// </summary>
[GrainType("job")]
internal sealed partial class PeriodicJobGrain(IEnumerable<IPeriodicJob> jobs, ILogger<PeriodicJobGrain> logger) : Grain, IPeriodicJobGrain, IRemindable
{
    private const string KeepAlive = "keep-alive";

    // Reminders tick at most once a minute; the job's own interval is the grain timer's.
    private static readonly TimeSpan ReminderPeriod = TimeSpan.FromMinutes(1);

    private IGrainTimer? _timer;

    private IPeriodicJob? Job => jobs.FirstOrDefault(j => j.Name == this.GetPrimaryKeyString());

    public async Task EnsureRunningAsync()
    {
        if (Job is not { Enabled: true }) return;
        await this.RegisterOrUpdateReminder(KeepAlive, ReminderPeriod, ReminderPeriod);
        StartTimer();
    }

    public Task ReceiveReminder(string reminderName, TickStatus status)
    {
        StartTimer();
        return Task.CompletedTask;
    }

    private void StartTimer()
    {
        if (_timer is not null || Job is not { Enabled: true } job) return;
        _timer = this.RegisterGrainTimer(RunAsync, new GrainTimerCreationOptions(job.Interval, job.Interval) { KeepAlive = true });
    }

    private async Task RunAsync(CancellationToken ct)
    {
        try
        {
            await Job!.RunAsync(ct);
        }
        catch (Exception ex) when (!ct.IsCancellationRequested)
        {
            LogFailed(ex, this.GetPrimaryKeyString()); // the next tick tries again
        }
    }

    [LoggerMessage(EventId = 2201, Level = LogLevel.Error, Message = "Periodic job {Job} failed; it runs again at its next interval")]
    private partial void LogFailed(Exception exception, string job);
}

namespace Taskee.Grains.Jobs;

/// <summary>
/// Work the cluster does on a schedule (billing deadlines, reconciliation, purges). Each runs in its own job grain, so
/// it runs on one silo at a time; a reminder brings it back on another silo when that one fails.
/// </summary>
public interface IPeriodicJob
{
    /// <summary>The job grain's key; stable, it names the reminder.</summary>
    string Name { get; }

    TimeSpan Interval { get; }

    /// <summary>False when the job has nothing to do with this configuration (no Stripe key, for instance).</summary>
    bool Enabled { get; }

    Task RunAsync(CancellationToken ct);
}

/// <summary>The single runner of one <see cref="IPeriodicJob"/>, keyed by its name.</summary>
[Alias("IPeriodicJobGrain")]
public interface IPeriodicJobGrain : IGrainWithStringKey
{
    /// <summary>Starts the schedule if it is not running; every silo calls this at start-up, so it is idempotent.</summary>
    [Alias("EnsureRunning")]
    Task EnsureRunningAsync();
}

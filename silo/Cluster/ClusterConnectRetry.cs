using System.Diagnostics;

namespace Taskee.Silo.Cluster;

/// <summary>
/// How long a command waits for a silo to answer before it gives up: without a bound, the Orleans client of a command
/// started with no silo running retries until the host's start-up is cancelled and the process hangs on the way out.
/// </summary>
public sealed class ClusterConnectRetry : IClientConnectionRetryFilter
{
    public static readonly TimeSpan GiveUpAfter = TimeSpan.FromSeconds(15);

    private readonly long _started = Stopwatch.GetTimestamp();

    public async Task<bool> ShouldRetryConnectionAttempt(Exception exception, CancellationToken cancellationToken)
    {
        if (Stopwatch.GetElapsedTime(_started) >= GiveUpAfter) return false;
        await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken);
        return true;
    }
}

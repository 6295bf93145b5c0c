namespace Taskee.Grains.Quota;

/// <summary>
/// This node process as a lease holder. A fresh id per start, so a restarted node never mistakes the
/// leases of its previous life for its own: those expire and are counted as consumed.
/// </summary>
public sealed class NodeIdentity
{
    public string Id { get; } = $"{Environment.MachineName.ToLowerInvariant()}-{Environment.ProcessId}-{Guid.NewGuid().ToString("N")[..8]}";

    public DateTimeOffset StartedAt { get; } = DateTimeOffset.UtcNow;
}

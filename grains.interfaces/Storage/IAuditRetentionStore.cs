using Taskee.Grains.Audit;

namespace Taskee.Grains.Storage;

/// <summary>What one prune did: the checkpoint it left and how many events it deleted.</summary>
public sealed record AuditPrune(AuditCheckpoint Checkpoint, long Pruned);

/// <summary>Audit retention: pruning a chain's old events behind a checkpoint, and reading that checkpoint.</summary>
public interface IAuditRetentionStore
{
    /// <summary>The chain's checkpoint; null while nothing of it was ever pruned.</summary>
    Task<AuditCheckpoint?> GetCheckpointAsync(string orgId, CancellationToken ct = default);

    /// <summary>
    /// Deletes the oldest events of the chain that are all older than <paramref name="cutoff"/>, moves the checkpoint to the
    /// last of them and appends an <c>audit.pruned</c> event recording it, in one transaction; null when nothing is due.
    /// </summary>
    Task<AuditPrune?> PruneAsync(string orgId, DateTimeOffset cutoff, CancellationToken ct = default);
}

namespace Taskee.Grains.Storage;

/// <summary>A node as recorded in the <c>nodes</c> table.</summary>
public sealed record NodeRecord(string Id, string Address, string Version, DateTimeOffset StartedAt, DateTimeOffset LastHeartbeat);

public interface INodeRegistry
{
    /// <summary>Records (or refreshes) this node's row with the current time as its heartbeat.</summary>
    Task HeartbeatAsync(NodeRecord node, CancellationToken ct = default);

    Task<IReadOnlyList<NodeRecord>> ListAsync(CancellationToken ct = default);

    Task DeregisterAsync(string nodeId, CancellationToken ct = default);

    /// <summary>Forgets nodes silent since before <paramref name="before"/>.</summary>
    Task<int> ForgetAsync(DateTimeOffset before, CancellationToken ct = default);
}

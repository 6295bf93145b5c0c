using Dapper;
using Taskee.Grains.Storage;

namespace Taskee.Silo.Storage;

public sealed class SqlNodeRegistry(SqlDialect dialect, TimeProvider clock) : SqlStore(dialect), INodeRegistry
{
    private sealed class NodeRow
    {
        public string Id { get; set; } = "";
        public string Address { get; set; } = "";
        public string Version { get; set; } = "";
        public string StartedAt { get; set; } = "";
        public string LastHeartbeat { get; set; } = "";
    }

    public async Task HeartbeatAsync(NodeRecord node, CancellationToken ct = default)
    {
        await using var connection = await OpenAsync(ct);
        await connection.ExecuteAsync(new CommandDefinition("""
            INSERT INTO nodes (id, address, version, started_at, last_heartbeat) VALUES (@Id, @Address, @Version, @StartedAt, @Now)
            ON CONFLICT (id) DO UPDATE SET last_heartbeat = excluded.last_heartbeat, address = excluded.address
            """, new { node.Id, node.Address, node.Version, StartedAt = Iso.ToText(node.StartedAt), Now = Iso.ToText(clock.GetUtcNow()) }, cancellationToken: ct));
    }

    public async Task<IReadOnlyList<NodeRecord>> ListAsync(CancellationToken ct = default)
    {
        await using var connection = await OpenAsync(ct);
        var rows = await connection.QueryAsync<NodeRow>(new CommandDefinition(
            "SELECT id, address, version, started_at, last_heartbeat FROM nodes ORDER BY started_at, id", cancellationToken: ct));
        return rows.Select(r => new NodeRecord(r.Id, r.Address, r.Version, Iso.Parse(r.StartedAt), Iso.Parse(r.LastHeartbeat))).ToList();
    }

    public async Task DeregisterAsync(string nodeId, CancellationToken ct = default)
    {
        await using var connection = await OpenAsync(ct);
        await connection.ExecuteAsync(new CommandDefinition("DELETE FROM nodes WHERE id = @nodeId", new { nodeId }, cancellationToken: ct));
    }

    public async Task<int> ForgetAsync(DateTimeOffset before, CancellationToken ct = default)
    {
        await using var connection = await OpenAsync(ct);
        return await connection.ExecuteAsync(new CommandDefinition(
            "DELETE FROM nodes WHERE last_heartbeat < @before", new { before = Iso.ToText(before) }, cancellationToken: ct));
    }
}

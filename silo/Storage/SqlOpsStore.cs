using Dapper;
using Taskee.Grains.Storage;

namespace Taskee.Silo.Storage;

public sealed class SqlOpsStore(SqlDialect dialect, TimeProvider clock) : SqlStore(dialect), IOpsStore
{
    private sealed class HealthRow
    {
        public string NodeId { get; set; } = "";
        public string At { get; set; } = "";
        public long Ready { get; set; }
        public long Requests { get; set; }
        public long Errors { get; set; }
    }

    private sealed class OrgRow
    {
        public string OrgId { get; set; } = "";
        public string NodeId { get; set; } = "";
        public string At { get; set; } = "";
        public long Requests { get; set; }
        public long Errors { get; set; }
        public long LatencySumUs { get; set; }
        public long LatencyMaxUs { get; set; }
    }

    public Task RecordAsync(HealthSample node, IReadOnlyList<OrganisationSample> organisations, CancellationToken ct = default) =>
        InTransactionAsync(async (connection, transaction) =>
        {
            await connection.ExecuteAsync("""
                INSERT INTO health_samples (node_id, at, ready, requests, errors) VALUES (@NodeId, @At, @Ready, @Requests, @Errors)
                ON CONFLICT (node_id, at) DO NOTHING
                """, new { node.NodeId, At = Iso.ToText(node.At), Ready = node.Ready ? 1L : 0L, node.Requests, node.Errors }, transaction);
            foreach (var o in organisations)
            {
                await connection.ExecuteAsync("""
                    INSERT INTO org_samples (org_id, node_id, at, requests, errors, latency_sum_us, latency_max_us)
                    VALUES (@OrgId, @NodeId, @At, @Requests, @Errors, @LatencySumMicroseconds, @LatencyMaxMicroseconds)
                    ON CONFLICT (org_id, node_id, at) DO NOTHING
                    """, new { o.OrgId, o.NodeId, At = Iso.ToText(o.At), o.Requests, o.Errors, o.LatencySumMicroseconds, o.LatencyMaxMicroseconds }, transaction);
            }
            return true;
        }, ct);

    public async Task<IReadOnlyList<HealthSample>> HealthSamplesAsync(DateTimeOffset from, DateTimeOffset to, CancellationToken ct = default)
    {
        await using var connection = await OpenAsync(ct);
        var rows = await connection.QueryAsync<HealthRow>(new CommandDefinition(
            "SELECT node_id, at, ready, requests, errors FROM health_samples WHERE at >= @from AND at < @to ORDER BY at",
            new { from = Iso.ToText(from), to = Iso.ToText(to) }, cancellationToken: ct));
        return rows.Select(r => new HealthSample(r.NodeId, Iso.Parse(r.At), r.Ready != 0, r.Requests, r.Errors)).ToList();
    }

    public async Task<IReadOnlyList<OrganisationSample>> OrganisationSamplesAsync(string orgId, DateTimeOffset from, DateTimeOffset to, CancellationToken ct = default)
    {
        await using var connection = await OpenAsync(ct);
        var rows = await connection.QueryAsync<OrgRow>(new CommandDefinition(
            "SELECT org_id, node_id, at, requests, errors, latency_sum_us, latency_max_us FROM org_samples WHERE org_id = @orgId AND at >= @from AND at < @to ORDER BY at",
            new { orgId, from = Iso.ToText(from), to = Iso.ToText(to) }, cancellationToken: ct));
        return rows.Select(r => new OrganisationSample(r.OrgId, r.NodeId, Iso.Parse(r.At), r.Requests, r.Errors, r.LatencySumUs, r.LatencyMaxUs)).ToList();
    }

    public async Task<IReadOnlyDictionary<string, string>> NodeStatsAsync(CancellationToken ct = default)
    {
        await using var connection = await OpenAsync(ct);
        var rows = await connection.QueryAsync<(string Id, string Stats)>(new CommandDefinition("SELECT silo_name, stats FROM silo_stats", cancellationToken: ct));
        return rows.ToDictionary(r => r.Id, r => r.Stats);
    }

    public async Task SaveNodeStatsAsync(string nodeId, string statsJson, CancellationToken ct = default)
    {
        await using var connection = await OpenAsync(ct);
        var now = clock.GetUtcNow();
        await connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO silo_stats (silo_name, stats, updated_at) VALUES (@nodeId, @statsJson, @now)
            ON CONFLICT (silo_name) DO UPDATE SET stats = excluded.stats, updated_at = excluded.updated_at
            """, new { nodeId, statsJson, now = Iso.ToText(now) }, cancellationToken: ct));
        // Silos of earlier starts stop publishing; a day later their figures are gone too.
        await connection.ExecuteAsync(new CommandDefinition(
            "DELETE FROM silo_stats WHERE updated_at < @cutoff", new { cutoff = Iso.ToText(now.AddDays(-1)) }, cancellationToken: ct));
    }
}

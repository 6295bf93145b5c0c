namespace Taskee.Grains.Storage;

/// <summary>One health sample of one node.</summary>
public sealed record HealthSample(string NodeId, DateTimeOffset At, bool Ready, long Requests, long Errors);

/// <summary>One organisation's product API traffic on one node in one sample interval.</summary>
public sealed record OrganisationSample(string OrgId, string NodeId, DateTimeOffset At, long Requests, long Errors, long LatencySumMicroseconds, long LatencyMaxMicroseconds);

/// <summary>Samples for SLA reports and each node's latest figures for the dashboard.</summary>
public interface IOpsStore
{
    Task RecordAsync(HealthSample node, IReadOnlyList<OrganisationSample> organisations, CancellationToken ct = default);

    Task<IReadOnlyList<HealthSample>> HealthSamplesAsync(DateTimeOffset from, DateTimeOffset to, CancellationToken ct = default);

    Task<IReadOnlyList<OrganisationSample>> OrganisationSamplesAsync(string orgId, DateTimeOffset from, DateTimeOffset to, CancellationToken ct = default);

    /// <summary>Each node's latest figures (JSON written with its heartbeat), by node id.</summary>
    Task<IReadOnlyDictionary<string, string>> NodeStatsAsync(CancellationToken ct = default);

    Task SaveNodeStatsAsync(string nodeId, string statsJson, CancellationToken ct = default);
}

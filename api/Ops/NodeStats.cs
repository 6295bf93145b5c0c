namespace Taskee.Api.Ops;

/// <summary>What a node publishes about itself every Ops:StatsInterval, for any node's dashboard to show.</summary>
public sealed record NodeStats(
    DateTimeOffset At,
    int ActiveGrains,
    long Decisions,
    long Denials,
    double ChecksPerSecond,
    double DenialsPerSecond,
    long P50Microseconds,
    long P99Microseconds,
    long LedgerRoundTrips,
    double FlushLagSeconds,
    double AuditLagSeconds,
    string Version);

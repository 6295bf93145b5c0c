namespace Taskee.Grains.Interfaces;

/// <summary>How a metric's usage behaves over time.</summary>
public enum MetricKind
{
    /// <summary>Counts up within a billing period and resets at the period's end (AI calls).</summary>
    Periodic,

    /// <summary>A level that goes up and down and never resets (storage, seats).</summary>
    Gauge,
}

/// <summary>The metrics the control plane limits. Names are part of the public API.</summary>
public static class Metrics
{
    public const string AiCalls = "ai_calls";
    public const string StorageBytes = "storage_bytes";
    public const string Seats = "seats";

    public static readonly IReadOnlyList<string> All = [AiCalls, StorageBytes, Seats];

    /// <summary>The largest limit an admin may set: far above any real plan, far below overflow.</summary>
    public const long MaxLimit = 1_000_000_000_000_000;

    public static bool IsKnown(string metric) => metric is AiCalls or StorageBytes or Seats;

    public static MetricKind KindOf(string metric) => metric == AiCalls ? MetricKind.Periodic : MetricKind.Gauge;
}

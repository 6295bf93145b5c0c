using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Taskee.Silo.Storage;

/// <summary>Traces of storage transactions (source <c>Taskee.Storage</c>) and a count of audit events written.</summary>
public static class StorageTelemetry
{
    public const string SourceName = "Taskee.Storage";
    public const string MeterName = "Taskee.Storage";

    public static readonly ActivitySource Source = new(SourceName);
    private static readonly Meter Meter = new(MeterName);
    private static readonly Counter<long> AuditEvents = Meter.CreateCounter<long>("taskee.audit.events", "{event}", "Audit events written");

    public static void AuditEventWritten(string action) => AuditEvents.Add(1, new KeyValuePair<string, object?>("action", action));
}

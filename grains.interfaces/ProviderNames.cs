namespace Taskee.Grains.Interfaces;

/// <summary>Names of the Orleans providers the grains use; the silo registers them.</summary>
public static class ProviderNames
{
    /// <summary>Grain storage of the organisation grains' usage state.</summary>
    public const string UsageStorage = "usage";

    /// <summary>The stream provider of committed audit events (namespace <see cref="AuditNamespace"/>, key: organisation id).</summary>
    public const string AuditStreams = "audit";

    public const string AuditNamespace = "audit";
}

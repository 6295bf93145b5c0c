using System.Reflection;

namespace Taskee.Grains.Quota;

/// <summary>This silo process: its id in ops figures and health samples (a fresh one per start), and its start time.</summary>
public sealed class NodeIdentity
{
    public string Id { get; } = $"{Environment.MachineName.ToLowerInvariant()}-{Environment.ProcessId}-{Guid.NewGuid().ToString("N")[..8]}";

    public DateTimeOffset StartedAt { get; } = DateTimeOffset.UtcNow;

    /// <summary>The product version this silo runs (the assembly's informational version without its commit).</summary>
    public static string Version { get; } =
        typeof(NodeIdentity).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "0.0.0";
}

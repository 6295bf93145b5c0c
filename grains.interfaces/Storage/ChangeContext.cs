using Taskee.Grains.Interfaces;

namespace Taskee.Grains.Storage;

/// <summary>What a change records in the audit log besides who and when.</summary>
/// <param name="Before">Compact JSON of the state before, or null for a creation.</param>
/// <param name="After">Compact JSON of the state after, or null for a deletion.</param>
[GenerateSerializer, Immutable]
[Alias("AuditRecord")]
public sealed record AuditRecord(string Action, string Target, string? Before, string? After);

[GenerateSerializer]
[Alias("WriteStatus")]
public enum WriteStatus
{
    Done,
    Unchanged,
    NotFound,
    VersionMismatch,
    Conflict,
}

/// <summary>The outcome of a write: its status, and the stored value when there is one.</summary>
[GenerateSerializer, Immutable]
[Alias("WriteResult`1")]
public readonly record struct WriteResult<T>(WriteStatus Status, T? Value)
{
    public static WriteResult<T> NotFound => new(WriteStatus.NotFound, default);
}

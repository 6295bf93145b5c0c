using Taskee.Grains.Interfaces;

namespace Taskee.Grains.Storage;

public interface IAuditStore
{
    /// <summary>
    /// Events of one chain after position <paramref name="afterSeq"/>, oldest first, at most <paramref name="limit"/>;
    /// optionally only those with <c>at</c> in [<paramref name="from"/>, <paramref name="to"/>).
    /// </summary>
    /// <summary>Appends an event that records no stored change of its own (an alert, for instance).</summary>
    Task<AuditEvent> AppendAsync(string chainId, AuditRecord record, ChangeContext context, CancellationToken ct = default);

    Task<IReadOnlyList<AuditEvent>> ReadAsync(
        string orgId, long afterSeq, int limit, DateTimeOffset? from = null, DateTimeOffset? to = null, CancellationToken ct = default);
}

using Taskee.Grains.Audit;
using Taskee.Grains.Interfaces;

namespace Taskee.Silo.Storage;

/// <summary>
/// <see cref="IAuditRevealer"/> on the key table: reads the keys a page of events names in one query, every time, so a
/// key destroyed on another silo is never opened here from a cache.
/// </summary>
public sealed class SqlAuditRevealer(SqlDialect dialect, SubjectKeyProtector protector) : IAuditRevealer
{
    public async Task<IReadOnlyList<RevealedAuditEvent>> RevealAsync(IReadOnlyList<AuditEvent> events, CancellationToken ct = default)
    {
        var keyIds = events.SelectMany(AuditReveal.KeyIds).Distinct(StringComparer.Ordinal).ToList();
        if (keyIds.Count == 0) return events.Select(e => new RevealedAuditEvent(e, e)).ToList();

        await using var connection = await dialect.OpenAsync(ct);
        var keys = await SubjectKeys.FindAsync(dialect, connection, protector, keyIds);
        return events.Select(e => new RevealedAuditEvent(e, AuditReveal.Reveal(e, keys))).ToList();
    }
}

using Taskee.Grains.Interfaces;

namespace Taskee.Grains.Audit;

/// <summary>A stored audit event and the same event as people read it (personal values opened, or erased).</summary>
public sealed record RevealedAuditEvent(AuditEvent Stored, AuditEvent Shown);

/// <summary>
/// The one place that turns stored audit events into what is shown: the audit list and export, the live tail, and
/// anything else that hands events to people or other systems (webhook payloads). A value whose person's key was
/// destroyed shows as <see cref="SealedValue.Erased"/>; the stored form, which the hash chain covers, is kept beside it.
/// </summary>
public interface IAuditRevealer
{
    /// <summary>Reveals a page of events with one read of the keys they name; the order is kept.</summary>
    Task<IReadOnlyList<RevealedAuditEvent>> RevealAsync(IReadOnlyList<AuditEvent> events, CancellationToken ct = default);
}

public static class AuditRevealerExtensions
{
    public static async Task<RevealedAuditEvent> RevealAsync(this IAuditRevealer revealer, AuditEvent e, CancellationToken ct = default) =>
        (await revealer.RevealAsync([e], ct))[0];
}

using Taskee.Grains.Interfaces;

namespace Taskee.Grains.Audit;

/// <summary>The outcome of checking a chain: how many events held, and the first that did not.</summary>
public sealed record ChainVerification(long EventsChecked, long? BrokenAtLine, string? BrokenEventId, string? Problem)
{
    public bool IsIntact => Problem is null;
}

/// <summary>
/// Checks an exported audit chain offline: each hash (over the stored form of the event), each link, the sequence, and
/// that the shown event matches its stored form except at sealed personal values (opened, or erased).
/// </summary>
public static class AuditChainVerifier
{
    /// <param name="lines">NDJSON lines of one organisation's export, oldest first.</param>
    /// <param name="startsAtGenesis">False when the export starts mid-chain (a <c>from</c> filter): the first link is then taken as given.</param>
    public static ChainVerification Verify(IEnumerable<string> lines, bool startsAtGenesis = true)
    {
        string? expectedPrev = startsAtGenesis ? AuditEvent.GenesisHash : null;
        long? expectedSeq = startsAtGenesis ? 1 : null;
        long checkedCount = 0, lineNumber = 0;

        foreach (var line in lines)
        {
            lineNumber++;
            if (string.IsNullOrWhiteSpace(line)) continue;

            AuditEvent e, shown;
            try
            {
                (e, shown) = AuditHash.ParseExport(line);
            }
            catch (Exception ex) when (ex is System.Text.Json.JsonException or KeyNotFoundException or InvalidOperationException)
            {
                return new(checkedCount, lineNumber, null, $"line {lineNumber} is not an audit event: {ex.Message}");
            }

            if (expectedSeq is not null && e.Seq != expectedSeq)
                return new(checkedCount, lineNumber, e.Id, $"sequence jumps from {expectedSeq - 1} to {e.Seq}: events are missing or reordered");
            if (expectedPrev is not null && e.PrevHash != expectedPrev)
                return new(checkedCount, lineNumber, e.Id, "prevHash does not match the previous event's hash: an event before it was changed or removed");
            if (AuditHash.Compute(e) != e.Hash)
                return new(checkedCount, lineNumber, e.Id, "hash does not match the event's content: the event was changed");
            // The hash covers the stored form; what the line shows may differ from it only where a personal value is sealed.
            if (!AuditReveal.Conceals(e, shown))
                return new(checkedCount, lineNumber, e.Id, "the shown event differs from its stored form outside its sealed personal values: the event was changed");

            expectedPrev = e.Hash;
            expectedSeq = e.Seq + 1;
            checkedCount++;
        }

        return new(checkedCount, null, null, null);
    }
}

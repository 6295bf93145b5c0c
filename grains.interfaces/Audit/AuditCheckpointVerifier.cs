using Taskee.Grains.Interfaces;

namespace Taskee.Grains.Audit;

/// <summary>
/// Verifies an export that may start at a retention checkpoint instead of genesis. Without a checkpoint line it is
/// <see cref="AuditChainVerifier"/> from genesis. With one, the first event must link to it (sequence and prevHash), the
/// rest is the ordinary chain check, and the chain's last <c>audit.pruned</c> event must record the same cut: that
/// event is hashed into the chain, so a checkpoint edited to hide more (or other) pruned events fails.
/// </summary>
public static class AuditCheckpointVerifier
{
    public static ChainVerification Verify(IEnumerable<string> lines)
    {
        using var enumerator = lines.GetEnumerator();
        long lineNumber = 0;
        string? first = null;
        while (enumerator.MoveNext())
        {
            lineNumber++;
            if (string.IsNullOrWhiteSpace(enumerator.Current)) continue;
            first = enumerator.Current;
            break;
        }
        if (first is null || !first.Contains($"\"{AuditCheckpoint.Property}\"", StringComparison.Ordinal) || !AuditCheckpoint.TryParse(first, out var checkpoint))
            return AuditChainVerifier.Verify(Prepend(first, Rest(enumerator)), startsAtGenesis: true).After(lineNumber - 1);

        AuditCheckpoint? recorded = null;
        string? linkProblem = null;
        var linked = false;
        var events = Rest(enumerator).Select(line =>
        {
            if (string.IsNullOrWhiteSpace(line)) return line;
            if (line.Contains(AuditCheckpoint.PrunedAction, StringComparison.Ordinal) && TryRead(line) is { } e
                && e.Action == AuditCheckpoint.PrunedAction && e.After is { } after && AuditCheckpoint.TryParse(after, out var cut))
                recorded = cut;
            if (!linked) linkProblem = LinkProblem(checkpoint, TryRead(line));
            linked = true;
            return line;
        });

        var chain = AuditChainVerifier.Verify(FailFast(events, () => linkProblem), startsAtGenesis: false).After(lineNumber);
        if (linkProblem is not null) return new(0, lineNumber + 1, null, linkProblem);
        if (!chain.IsIntact) return chain;
        if (chain.EventsChecked == 0) return new(0, lineNumber, null, "the export has a checkpoint but no events after it");
        if (recorded is null || !recorded.SameCut(checkpoint))
            return new(chain.EventsChecked, lineNumber, null,
                "the checkpoint does not match the cut recorded by the chain's last audit.pruned event: the checkpoint was changed");
        return chain;
    }

    private static string? LinkProblem(AuditCheckpoint checkpoint, AuditEvent? first) => first switch
    {
        null => null, // unreadable: the chain check names it
        _ when first.OrgId != checkpoint.OrgId => $"the checkpoint is of organisation '{checkpoint.OrgId}' but the events are of '{first.OrgId}'",
        _ when first.Seq != checkpoint.Seq + 1 => $"the checkpoint ends at position {checkpoint.Seq} but the first event is at {first.Seq}: events are missing",
        _ when first.PrevHash != checkpoint.HeadHash => "the first event's prevHash does not match the checkpoint's headHash: the checkpoint or the event was changed",
        _ => null,
    };

    // Stops the chain check at the first line once the link to the checkpoint is known to be broken.
    private static IEnumerable<string> FailFast(IEnumerable<string> lines, Func<string?> problem)
    {
        foreach (var line in lines)
        {
            yield return line;
            if (problem() is not null) yield break;
        }
    }

    private static AuditEvent? TryRead(string line)
    {
        try
        {
            return AuditHash.Parse(line);
        }
        catch (Exception ex) when (ex is System.Text.Json.JsonException or KeyNotFoundException or InvalidOperationException)
        {
            return null;
        }
    }

    private static IEnumerable<string> Rest(IEnumerator<string> enumerator)
    {
        while (enumerator.MoveNext()) yield return enumerator.Current;
    }

    private static IEnumerable<string> Prepend(string? first, IEnumerable<string> rest) => first is null ? rest : rest.Prepend(first);

    /// <summary>Shifts a result's line number by the lines read before the part that was checked.</summary>
    private static ChainVerification After(this ChainVerification result, long linesBefore) =>
        result.BrokenAtLine is { } line ? result with { BrokenAtLine = line + linesBefore } : result;
}

using System.Text.Json;

namespace Taskee.Grains.Audit;

/// <summary>
/// Where a pruned chain starts: the last pruned event (<paramref name="Seq"/>, <paramref name="HeadHash"/>: the chain head
/// at the cut), how many events were pruned in all, and when last. An NDJSON export opens with it as its first line
/// (<c>{"checkpoint":{...}}</c>), so the chain verifies from here; the <c>audit.pruned</c> event that every prune appends
/// to the chain records the same cut, so a checkpoint cannot be moved without breaking a hash.
/// </summary>
public sealed record AuditCheckpoint(string OrgId, long Seq, string HeadHash, long PrunedCount, string PrunedAt)
{
    public const string Property = "checkpoint";

    /// <summary>The action of the event a prune appends; its <c>after</c> holds the checkpoint (<see cref="AfterJson"/>).</summary>
    public const string PrunedAction = "audit.pruned";

    public void WriteLine(Utf8JsonWriter writer)
    {
        writer.WriteStartObject();
        writer.WriteStartObject(Property);
        WriteFields(writer);
        writer.WriteEndObject();
        writer.WriteEndObject();
    }

    /// <summary>The <c>after</c> of the <c>audit.pruned</c> event: the checkpoint and how many this run pruned.</summary>
    public string AfterJson(long prunedNow)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteStartObject(Property);
            WriteFields(writer);
            writer.WriteEndObject();
            writer.WriteNumber("prunedNow", prunedNow);
            writer.WriteEndObject();
        }
        return System.Text.Encoding.UTF8.GetString(buffer.ToArray());
    }

    private void WriteFields(Utf8JsonWriter writer)
    {
        writer.WriteString("orgId", OrgId);
        writer.WriteNumber("seq", Seq);
        writer.WriteString("headHash", HeadHash);
        writer.WriteNumber("prunedCount", PrunedCount);
        writer.WriteString("prunedAt", PrunedAt);
    }

    /// <summary>Reads a checkpoint line (or the <c>after</c> of an <c>audit.pruned</c> event); false when it holds none.</summary>
    public static bool TryParse(string json, out AuditCheckpoint checkpoint)
    {
        checkpoint = null!;
        try
        {
            using var document = JsonDocument.Parse(json);
            if (document.RootElement.ValueKind != JsonValueKind.Object || !document.RootElement.TryGetProperty(Property, out var c)) return false;
            checkpoint = new AuditCheckpoint(c.GetProperty("orgId").GetString()!, c.GetProperty("seq").GetInt64(), c.GetProperty("headHash").GetString()!,
                c.GetProperty("prunedCount").GetInt64(), c.GetProperty("prunedAt").GetString()!);
            return true;
        }
        catch (Exception ex) when (ex is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            return false;
        }
    }

    /// <summary>The cut alone: two checkpoints of one chain agree when they name the same last pruned event.</summary>
    public bool SameCut(AuditCheckpoint other) => OrgId == other.OrgId && Seq == other.Seq && HeadHash == other.HeadHash;
}

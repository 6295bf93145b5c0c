using System.Buffers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Taskee.Grains.Interfaces;

namespace Taskee.Grains.Audit;

/// <summary>
/// The audit hash chain. The canonical form of an event is compact JSON with a fixed property
/// order, <c>before</c>/<c>after</c> embedded as the exact JSON text stored, and no <c>hash</c>.
/// An NDJSON export line carries the same fields, so a verifier rebuilds the canonical bytes from it; where personal
/// values are sealed (<see cref="SealedValue"/>) the line shows them opened and carries their stored form beside them.
/// </summary>
public static class AuditHash
{
    public static string Compute(AuditEvent e)
    {
        var buffer = new ArrayBufferWriter<byte>(512);
        buffer.Write(Encoding.ASCII.GetBytes(e.PrevHash));
        using (var writer = new Utf8JsonWriter(buffer))
        {
            WriteCanonical(writer, e);
        }
        return Convert.ToHexStringLower(SHA256.HashData(buffer.WrittenSpan));
    }

    /// <summary>Writes every field but the hash, in the order the chain is defined on.</summary>
    public static void WriteCanonical(Utf8JsonWriter writer, AuditEvent e)
    {
        writer.WriteStartObject();
        WriteFields(writer, e);
        writer.WriteEndObject();
    }

    private static void WriteFields(Utf8JsonWriter writer, AuditEvent e)
    {
        writer.WriteString("id", e.Id);
        writer.WriteString("orgId", e.OrgId);
        writer.WriteNumber("seq", e.Seq);
        writer.WriteString("at", e.At);
        writer.WriteStartObject("actor");
        writer.WriteString("kind", e.Actor.Kind);
        writer.WriteString("id", e.Actor.Id);
        writer.WriteEndObject();
        writer.WriteString("action", e.Action);
        writer.WriteString("target", e.Target);
        WriteRawOrNull(writer, "before", e.Before);
        WriteRawOrNull(writer, "after", e.After);
        writer.WriteString("requestId", e.RequestId);
        writer.WriteString("ip", e.Ip);
        writer.WriteString("prevHash", e.PrevHash);
    }

    /// <summary>Writes the event as one NDJSON object: the canonical fields followed by the hash.</summary>
    public static void WriteExport(Utf8JsonWriter writer, AuditEvent e) => WriteExport(writer, e, e);

    /// <summary>
    /// Writes the event as people read it (<paramref name="shown"/>: personal values opened or erased) followed by the
    /// hash, and, when it differs from what is stored and hashed, a <c>stored</c> object with the stored form of each
    /// field that differs. A verifier hashes the stored form (see <see cref="ParseExport"/>).
    /// </summary>
    public static void WriteExport(Utf8JsonWriter writer, AuditEvent stored, AuditEvent shown)
    {
        writer.WriteStartObject();
        WriteFields(writer, shown);
        writer.WriteString("hash", stored.Hash);
        if (!ReferenceEquals(stored, shown) && stored != shown)
        {
            writer.WriteStartObject(StoredProperty);
            if (stored.Actor.Id != shown.Actor.Id) writer.WriteString("actorId", stored.Actor.Id);
            if (stored.Target != shown.Target) writer.WriteString("target", stored.Target);
            if (stored.Before != shown.Before) WriteRawOrNull(writer, "before", stored.Before);
            if (stored.After != shown.After) WriteRawOrNull(writer, "after", stored.After);
            if (stored.Ip != shown.Ip) writer.WriteString("ip", stored.Ip);
            writer.WriteEndObject();
        }
        writer.WriteEndObject();
    }

    /// <summary>Reads the stored (hashed) form of an event back from one export line; <c>before</c>/<c>after</c> keep their exact text.</summary>
    public static AuditEvent Parse(string line) => ParseExport(line).Stored;

    /// <summary>Reads one export line: the event as shown, and its stored form (the shown one with <c>stored</c> applied).</summary>
    public static (AuditEvent Stored, AuditEvent Shown) ParseExport(string line)
    {
        using var doc = JsonDocument.Parse(line);
        var root = doc.RootElement;
        var actor = root.GetProperty("actor");
        var shown = new AuditEvent(
            Id: root.GetProperty("id").GetString()!,
            OrgId: root.GetProperty("orgId").GetString()!,
            Seq: root.GetProperty("seq").GetInt64(),
            At: root.GetProperty("at").GetString()!,
            Actor: new AuditActor(actor.GetProperty("kind").GetString()!, actor.GetProperty("id").GetString()!),
            Action: root.GetProperty("action").GetString()!,
            Target: root.GetProperty("target").GetString()!,
            Before: RawOrNull(root.GetProperty("before")),
            After: RawOrNull(root.GetProperty("after")),
            RequestId: root.GetProperty("requestId").GetString(),
            Ip: root.GetProperty("ip").GetString(),
            PrevHash: root.GetProperty("prevHash").GetString()!,
            Hash: root.GetProperty("hash").GetString()!);
        if (!root.TryGetProperty(StoredProperty, out var stored)) return (shown, shown);
        return (shown with
        {
            Actor = stored.TryGetProperty("actorId", out var actorId) ? shown.Actor with { Id = actorId.GetString()! } : shown.Actor,
            Target = stored.TryGetProperty("target", out var target) ? target.GetString()! : shown.Target,
            Before = stored.TryGetProperty("before", out var before) ? RawOrNull(before) : shown.Before,
            After = stored.TryGetProperty("after", out var after) ? RawOrNull(after) : shown.After,
            Ip = stored.TryGetProperty("ip", out var ip) ? ip.GetString() : shown.Ip,
        }, shown);
    }

    private const string StoredProperty = "stored";

    private static void WriteRawOrNull(Utf8JsonWriter writer, string name, string? json)
    {
        writer.WritePropertyName(name);
        if (json is null) writer.WriteNullValue();
        else writer.WriteRawValue(json, skipInputValidation: true);
    }

    private static string? RawOrNull(JsonElement element) =>
        element.ValueKind == JsonValueKind.Null ? null : element.GetRawText();
}

using System.Buffers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Taskee.Grains.Interfaces;

namespace Taskee.Grains.Audit;

/// <summary>
/// The audit hash chain. The canonical form of an event is compact JSON with a fixed property
/// order, <c>before</c>/<c>after</c> embedded as the exact JSON text stored, and no <c>hash</c>.
/// An NDJSON export line carries the same fields, so a verifier rebuilds the canonical bytes from it.
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
        writer.WriteEndObject();
    }

    /// <summary>Writes the event as one NDJSON object: the canonical fields followed by the hash.</summary>
    public static void WriteExport(Utf8JsonWriter writer, AuditEvent e)
    {
        writer.WriteStartObject();
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
        writer.WriteString("hash", e.Hash);
        writer.WriteEndObject();
    }

    /// <summary>Reads an event back from one export line; <c>before</c>/<c>after</c> keep their exact text.</summary>
    public static AuditEvent Parse(string line)
    {
        using var doc = JsonDocument.Parse(line);
        var root = doc.RootElement;
        var actor = root.GetProperty("actor");
        return new AuditEvent(
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
    }

    private static void WriteRawOrNull(Utf8JsonWriter writer, string name, string? json)
    {
        writer.WritePropertyName(name);
        if (json is null) writer.WriteNullValue();
        else writer.WriteRawValue(json, skipInputValidation: true);
    }

    private static string? RawOrNull(JsonElement element) =>
        element.ValueKind == JsonValueKind.Null ? null : element.GetRawText();
}

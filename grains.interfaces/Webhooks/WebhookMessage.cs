using System.Buffers;
using System.Text.Json;
using Taskee.Grains.Audit;

namespace Taskee.Grains.Interfaces;

/// <summary>
/// The body of the webhook message for one audit event: <c>{"type", "id", "timestamp", "data"}</c>, where <c>data</c> is
/// the event exactly as one line of the audit NDJSON export. The one place the body is built, so the catalogue's examples
/// and the delivered messages cannot differ, and so a change to what <c>data</c> shows is one change.
/// </summary>
public static class WebhookMessage
{
    public const string IdPrefix = "msg_";

    /// <summary>The <c>webhook-id</c> of an audit event's message: the same on every attempt, redelivery and replay.</summary>
    public static string IdFor(AuditEvent e) => IdPrefix + e.Id;

    /// <summary>The UTF-8 body; the same bytes for every attempt at the same event.</summary>
    public static byte[] Body(AuditEvent e)
    {
        var buffer = new ArrayBufferWriter<byte>(1024);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("type", e.Action);
            writer.WriteString("id", IdFor(e));
            writer.WriteString("timestamp", e.At);
            writer.WritePropertyName("data");
            AuditHash.WriteExport(writer, e);
            writer.WriteEndObject();
        }
        return buffer.WrittenSpan.ToArray();
    }
}

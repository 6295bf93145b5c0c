using System.Globalization;
using System.Text;
using System.Text.Json;
using Taskee.Grains.Audit;

namespace Taskee.Grains.Interfaces;

/// <summary>
/// One message as sent: its <c>webhook-id</c>, event type and body. The body is built from the event as revealed when it
/// is sent, so every attempt, redelivery and replay of an event sends the same bytes under the same id until the person
/// it names is erased (then the same id with their values erased).
/// </summary>
public sealed record WebhookMessage(string Id, string Type, string Body)
{
    public const string IdPrefix = "msg_";
    public const string TestType = "webhook.test";

    /// <summary>
    /// <c>{"type": action, "id": "msg_" + event id, "timestamp": the event's at, "data": the event as one line of the audit
    /// NDJSON export}</c>. The one place that turns an audit event into a payload. It takes the revealed event (see
    /// <see cref="IAuditRevealer"/>), so a person's values go out plain while their key lives and as
    /// <see cref="SealedValue.Erased"/> once it is destroyed: a retry, redelivery or replay after an erasure sends the same
    /// id with the erased body, never the values it once carried. The sealed stored form rides along, so the hash verifies.
    /// </summary>
    public static WebhookMessage For(RevealedAuditEvent auditEvent)
    {
        var (stored, shown) = (auditEvent.Stored, auditEvent.Shown);
        var id = IdPrefix + stored.Id;
        return new WebhookMessage(id, stored.Action, Write(stored.Action, id, stored.At, writer => AuditHash.WriteExport(writer, stored, shown)));
    }

    /// <summary>A <c>webhook.test</c> message with a new id; its data names the endpoint and says what it is.</summary>
    public static WebhookMessage Test(WebhookEndpoint endpoint, DateTimeOffset now)
    {
        var id = IdPrefix + Ulid.NewUlid(now);
        var at = now.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
        return new WebhookMessage(id, TestType, Write(TestType, id, at, writer =>
        {
            writer.WriteStartObject();
            writer.WriteString("webhookId", endpoint.Id);
            writer.WriteString("orgId", endpoint.OrgId);
            writer.WriteString("message", "A test message from Taskee: this endpoint receives and verifies webhooks.");
            writer.WriteEndObject();
        }));
    }

    private static string Write(string type, string id, string timestamp, Action<Utf8JsonWriter> data)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("type", type);
            writer.WriteString("id", id);
            writer.WriteString("timestamp", timestamp);
            writer.WritePropertyName("data");
            data(writer);
            writer.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }
}

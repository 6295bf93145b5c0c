using System.Text.Json;

namespace Taskee.Client.Webhooks;

/// <summary>A verified webhook from the control plane: the body <c>{type, id, timestamp, data}</c> and its <c>webhook-id</c> header.</summary>
/// <param name="WebhookId">
/// The <c>webhook-id</c> header: the same on every retry of one message, so it is the key to deduplicate by (delivery is at
/// least once). Store the ids you have handled (for longer than the sender retries, 3 days) and answer 2xx to a repeat without
/// acting again.
/// </param>
/// <param name="Type">The event type, e.g. <c>org.limit.set</c>.</param>
/// <param name="Id">The event's own id from the body (the audit event it carries).</param>
/// <param name="Timestamp">When the event happened, from the body.</param>
/// <param name="Data">The event's payload (the audit event, before and after); it does not depend on any disposed document.</param>
public sealed record TaskeeWebhookEvent(string WebhookId, string Type, string Id, DateTimeOffset Timestamp, JsonElement Data);

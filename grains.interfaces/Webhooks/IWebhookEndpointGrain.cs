namespace Taskee.Grains.Interfaces;

/// <summary>
/// One webhook endpoint, keyed by its id: the single owner of its delivery queue. It delivers its organisation's audit
/// events in log order from its durable cursor, one message at a time, retrying the head with back-off; it is woken by
/// the audit stream, by a periodic sweep (after a silo failure) and by the API after a change to the endpoint.
/// </summary>
[Alias("IWebhookEndpointGrain")]
public interface IWebhookEndpointGrain : IGrainWithStringKey
{
    /// <summary>Reads the endpoint again and delivers what is due; returns at once (the work runs on the grain).</summary>
    [Alias("Wake"), Orleans.Concurrency.OneWay]
    Task WakeAsync();

    /// <summary>Sends a <c>webhook.test</c> message now, outside the queue, and answers with the attempt; null when there is no such endpoint.</summary>
    /// <remarks>The attempt may take <c>Webhooks:Timeout</c> (up to a minute), longer than the cluster's usual response timeout.</remarks>
    [Alias("SendTest"), ResponseTimeout("00:01:30")]
    Task<WebhookDelivery?> SendTestAsync(ChangeContext context);

    /// <summary>Sends the message of an earlier attempt again now, outside the queue; null when there is no such attempt.</summary>
    [Alias("Redeliver"), ResponseTimeout("00:01:30")]
    Task<WebhookDelivery?> RedeliverAsync(string deliveryId, ChangeContext context);

    /// <summary>
    /// Moves the cursor back to the first event at or after <paramref name="from"/>, so every matching event since then is
    /// sent again in log order (with its original <c>webhook-id</c>); answers how many events of the chain it rewound over,
    /// or null when there is no such endpoint.
    /// </summary>
    [Alias("Replay")]
    Task<long?> ReplayAsync(DateTimeOffset from, ChangeContext context);
}

/// <summary>One attempt to deliver one message to one endpoint.</summary>
/// <param name="Id">"whd_" and a ULID: the list's order.</param>
/// <param name="MessageId">The <c>webhook-id</c> header: "msg_" and the audit event id; stable across retries, redeliveries and replays.</param>
/// <param name="Trigger">log, retry, redeliver, replay or test.</param>
/// <param name="Outcome">succeeded (2xx), failed (another status), timeout, refused (no connection) or blocked (target not allowed).</param>
/// <param name="ResponseExcerpt">The first 1 KB of the response body, as text.</param>
/// <param name="NextAttemptAt">When the queue tries this message again; null when it will not.</param>
[GenerateSerializer, Immutable]
[Alias("WebhookDelivery")]
public sealed record WebhookDelivery(
    string Id,
    string WebhookId,
    string OrgId,
    string MessageId,
    string EventType,
    string? EventId,
    long? EventSeq,
    int Attempt,
    string Trigger,
    DateTimeOffset At,
    string Outcome,
    int? StatusCode,
    long LatencyMs,
    string? ResponseExcerpt,
    string? Error,
    DateTimeOffset? NextAttemptAt)
{
    public const string IdPrefix = "whd_";
}

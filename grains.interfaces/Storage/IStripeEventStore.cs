namespace Taskee.Grains.Storage;

/// <summary>What became of a received Stripe event. Names are stored and shown.</summary>
public static class StripeEventStatus
{
    /// <summary>Stored, not yet processed (or failed and waiting for its next attempt).</summary>
    public const string Pending = "pending";

    /// <summary>Applied to an organisation (which may have changed nothing: a duplicate or older fact).</summary>
    public const string Processed = "processed";

    /// <summary>A type billing does not act on, or an object that concerns no organisation we bill.</summary>
    public const string Ignored = "ignored";

    /// <summary>Its customer (or charge) is not linked to an organisation yet; processed again when it is.</summary>
    public const string Unmatched = "unmatched";
}

/// <summary>A Stripe event as received: its raw body (what the signature covered) and its processing state.</summary>
/// <param name="CustomerId">The Stripe customer the event's object belongs to, when it names one.</param>
public sealed record StripeEventRecord(
    string Id,
    string Type,
    DateTimeOffset Created,
    string Payload,
    string? CustomerId,
    string Status,
    int Attempts,
    DateTimeOffset ReceivedAt,
    DateTimeOffset NextAttemptAt,
    DateTimeOffset? ProcessedAt,
    string? OrgId,
    string? Detail);

/// <summary>
/// The table of received Stripe events, keyed by event id: an event is stored once however often Stripe delivers
/// it, before the delivery is acknowledged, and processed by whichever node claims it first.
/// </summary>
public interface IStripeEventStore
{
    /// <summary>Stores a newly received event; false when an event with that id is already stored.</summary>
    Task<bool> AddAsync(StripeEventRecord record, CancellationToken ct = default);

    /// <summary>
    /// Claims up to <paramref name="limit"/> pending events that are due, oldest first, for <paramref name="lease"/>:
    /// no other node takes them meanwhile; a claim of a node that died runs out and the event is claimed again.
    /// </summary>
    Task<IReadOnlyList<StripeEventRecord>> ClaimDueAsync(string holder, DateTimeOffset now, TimeSpan lease, int limit, CancellationToken ct = default);

    /// <summary>
    /// Records the outcome of a claimed event: processed, ignored or unmatched; an unmatched one waits for
    /// <paramref name="waitingFor"/> (a customer or charge id) to be linked to an organisation.
    /// </summary>
    Task FinishAsync(string id, string status, string? orgId, string? detail, string? waitingFor, DateTimeOffset now, CancellationToken ct = default);

    /// <summary>Releases a claimed event after a failure; it is tried again at <paramref name="nextAttemptAt"/>.</summary>
    Task RetryAsync(string id, DateTimeOffset nextAttemptAt, string error, CancellationToken ct = default);

    /// <summary>Makes the unmatched events waiting for any of these Stripe objects pending again (they were just linked); returns how many.</summary>
    Task<int> RequeueUnmatchedAsync(IReadOnlyCollection<string> objectIds, DateTimeOffset now, CancellationToken ct = default);

    Task<StripeEventRecord?> GetAsync(string id, CancellationToken ct = default);

    /// <summary>Pending events due by <paramref name="now"/>, claimed or not.</summary>
    Task<int> CountDueAsync(DateTimeOffset now, CancellationToken ct = default);
}

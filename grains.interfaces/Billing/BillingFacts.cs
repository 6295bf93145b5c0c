using Taskee.Grains.Interfaces;

namespace Taskee.Grains.Billing;

/// <summary>
/// Merges what a Stripe event (or a read from Stripe) says into an organisation's billing facts. Pure. Each merge
/// returns null when the observation adds nothing (a duplicate, or older than what is known), so the same events in
/// any order, any number of times, end in the same facts.
/// </summary>
public static class BillingFacts
{
    /// <summary>Settled invoices and closed disputes kept for the record; unsettled and open ones are always kept.</summary>
    public const int KeepClosed = 12;

    public static OrganisationBilling Empty { get; } = new();

    /// <summary>
    /// The rank of a subscription read from Stripe's API (by reconciliation, or instead of an event's copy): Stripe's
    /// current state. A read that says what is already known changes nothing, so reading again is not audited.
    /// </summary>
    public const int ReadRank = 3;

    /// <summary>Applies a subscription snapshot unless the one held is newer (or the held one has ended for good).</summary>
    public static OrganisationBilling? WithSubscription(OrganisationBilling facts, BillingSubscription incoming)
    {
        var current = facts.Subscription;
        if (current is not null && !Supersedes(incoming, current)) return null;
        if (current is not null && incoming.Rank == ReadRank
            && current with { ObservedAt = incoming.ObservedAt, Rank = incoming.Rank, EventId = incoming.EventId } == incoming)
            return null;

        var unpaidSince = incoming.Status == StripeStatus.Unpaid
            ? (current is { Status: StripeStatus.Unpaid } && current.Id == incoming.Id && facts.UnpaidSince is { } since ? since : incoming.ObservedAt)
            : (DateTimeOffset?)null;
        var unpaidEvent = unpaidSince is null ? null : unpaidSince == facts.UnpaidSince ? facts.UnpaidEventId : incoming.EventId;
        var updated = facts with { Subscription = incoming, UnpaidSince = unpaidSince, UnpaidEventId = unpaidEvent };
        return SameFacts(updated, facts) ? null : updated;
    }

    /// <summary>
    /// Newer observation of the same subscription wins; at the same time, created &lt; updated &lt; deleted &lt; read. An ended
    /// subscription never comes back. Of two subscriptions, a live one beats an ended one, else the newer one wins.
    /// </summary>
    public static bool Supersedes(BillingSubscription incoming, BillingSubscription current)
    {
        var incomingEnded = StripeStatus.IsEnded(incoming.Status);
        var currentEnded = StripeStatus.IsEnded(current.Status);
        if (incoming.Id == current.Id)
        {
            if (currentEnded && !incomingEnded) return false;
            if (incoming.ObservedAt != current.ObservedAt) return incoming.ObservedAt > current.ObservedAt;
            // Same moment: the higher rank; of two reads, the later one (it is what Stripe says now).
            return incoming.Rank > current.Rank
                || (incoming.Rank == current.Rank && (incoming.Rank == ReadRank || (incomingEnded && !currentEnded)));
        }
        if (incomingEnded != currentEnded) return currentEnded;
        return incoming.Created != current.Created
            ? incoming.Created > current.Created
            : string.CompareOrdinal(incoming.Id, current.Id) > 0;
    }

    /// <summary>Adds what is new about an invoice: settled stays settled, the earliest failure and exhaustion stay.</summary>
    public static OrganisationBilling? WithInvoice(OrganisationBilling facts, BillingInvoice incoming)
    {
        var existing = facts.Invoices.FirstOrDefault(i => i.Id == incoming.Id);
        var merged = existing is null ? incoming : Merge(existing, incoming);
        if (merged == existing) return null;

        var invoices = facts.Invoices.Where(i => i.Id != merged.Id).Append(merged)
            .OrderByDescending(i => i.FailedAt ?? i.PaidAt ?? DateTimeOffset.MinValue).ThenBy(i => i.Id, StringComparer.Ordinal).ToList();
        var kept = invoices.Where(i => !i.Settled).Concat(invoices.Where(i => i.Settled).Take(KeepClosed))
            .OrderByDescending(i => i.FailedAt ?? i.PaidAt ?? DateTimeOffset.MinValue).ThenBy(i => i.Id, StringComparer.Ordinal).ToList();
        return facts with { Invoices = kept, LastPaidAt = Max(facts.LastPaidAt, merged.PaidAt) };
    }

    private static BillingInvoice Merge(BillingInvoice a, BillingInvoice b)
    {
        var exhausted = Min(a.RetriesExhaustedAt, b.RetriesExhaustedAt);
        var merged = new BillingInvoice(
            a.Id,
            a.SubscriptionId ?? b.SubscriptionId,
            a.Settled || b.Settled,
            Min(a.PaidAt, b.PaidAt),
            Min(a.FailedAt, b.FailedAt),
            exhausted,
            exhausted is null ? a.FailedEventId ?? b.FailedEventId
                : exhausted == a.RetriesExhaustedAt ? a.FailedEventId : b.FailedEventId,
            a.ObservedAt > b.ObservedAt ? a.ObservedAt : b.ObservedAt);
        // Seeing an invoice again later changes nothing by itself.
        return merged with { ObservedAt = a.ObservedAt } == a ? a : merged;
    }

    /// <summary>A decided dispute stays decided; an open one follows its newest observation.</summary>
    public static OrganisationBilling? WithDispute(OrganisationBilling facts, BillingDispute incoming)
    {
        var existing = facts.Disputes.FirstOrDefault(d => d.Id == incoming.Id);
        BillingDispute merged;
        if (existing is null) merged = incoming;
        else
        {
            var existingClosed = StripeStatus.IsClosed(existing.Status);
            var incomingClosed = StripeStatus.IsClosed(incoming.Status);
            var takeIncoming = existingClosed
                ? incomingClosed && incoming.ObservedAt > existing.ObservedAt && incoming.Status != existing.Status
                : incomingClosed || incoming.ObservedAt > existing.ObservedAt;
            if (!takeIncoming) return null;
            merged = incoming with
            {
                OpenedAt = Min(existing.OpenedAt, incoming.OpenedAt)!.Value,
                ClosedAt = Min(existing.ClosedAt, incoming.ClosedAt),
            };
            if (merged == existing) return null;
        }

        var disputes = facts.Disputes.Where(d => d.Id != merged.Id).Append(merged)
            .OrderByDescending(d => d.OpenedAt).ThenBy(d => d.Id, StringComparer.Ordinal).ToList();
        var kept = disputes.Where(d => !StripeStatus.IsClosed(d.Status))
            .Concat(disputes.Where(d => StripeStatus.IsClosed(d.Status)).Take(KeepClosed))
            .OrderByDescending(d => d.OpenedAt).ThenBy(d => d.Id, StringComparer.Ordinal).ToList();
        return facts with { Disputes = kept };
    }

    /// <summary>The newest view of the customer; a newer view that says the same changes nothing.</summary>
    public static OrganisationBilling? WithCustomer(OrganisationBilling facts, BillingCustomer incoming)
    {
        if (facts.Customer is { } current
            && (current.ObservedAt >= incoming.ObservedAt || current with { ObservedAt = incoming.ObservedAt, EventId = incoming.EventId } == incoming))
            return null;
        return facts with { Customer = incoming };
    }

    private static bool SameFacts(OrganisationBilling a, OrganisationBilling b) =>
        a.Subscription == b.Subscription && a.UnpaidSince == b.UnpaidSince && a.UnpaidEventId == b.UnpaidEventId;

    internal static DateTimeOffset? Min(DateTimeOffset? a, DateTimeOffset? b) =>
        a is null ? b : b is null ? a : a < b ? a : b;

    internal static DateTimeOffset? Max(DateTimeOffset? a, DateTimeOffset? b) =>
        a is null ? b : b is null ? a : a > b ? a : b;
}

using Stripe;
using Stripe.Checkout;
using Taskee.Grains.Billing;
using Taskee.Grains.Interfaces;

namespace Taskee.Api.Billing.Stripe;

/// <summary>Where a Stripe object points: its customer and the organisation hints Stripe carries for us.</summary>
/// <param name="OrgHints">Organisation ids from <c>metadata.org_id</c> or a checkout session's <c>client_reference_id</c>.</param>
public sealed record StripeOwner(string? CustomerId, IReadOnlyList<string> OrgHints)
{
    public const string OrgIdMetadataKey = "org_id";
}

public sealed record SubscriptionFacts(BillingSubscription Fact, StripeOwner Owner, IReadOnlyList<string> PriceIds);

public sealed record InvoiceFacts(BillingInvoice Fact, StripeOwner Owner, IReadOnlyList<string> RelatedIds);

public sealed record DisputeFacts(BillingDispute Fact, string? ChargeId, string? PaymentIntentId, StripeOwner Owner);

public sealed record CheckoutSessionFacts(string Id, string? SubscriptionId, StripeOwner Owner);

public sealed record CustomerFacts(BillingCustomer Fact, StripeOwner Owner);

/// <summary>
/// Reads Stripe.net's objects into billing facts. Only fields every API version has are read from the model; the few
/// that moved (the period, an invoice's subscription and charge) also from where older versions put them
/// (<see cref="StripeLegacyFields"/>).
/// </summary>
public static class StripeFacts
{
    /// <summary>The pseudo event type of an object read from Stripe's API rather than delivered in an event.</summary>
    public const string ReadFromStripe = "read";

    /// <summary>Ranks of events of one object within the same second: created before updated before deleted; a read from Stripe is newest.</summary>
    public static int RankOf(string eventType) => eventType switch
    {
        "customer.subscription.created" => 0,
        "customer.subscription.deleted" => 2,
        ReadFromStripe => BillingFacts.ReadRank,
        _ => 1,
    };

    public static SubscriptionFacts Subscription(Subscription sub, DateTimeOffset observedAt, int rank, string eventId, Func<string, string?> planForPrice)
    {
        var items = sub.Items?.Data ?? [];
        var priceIds = items.Select(i => i.Price?.Id ?? i.Plan?.Id).OfType<string>().ToList();
        if (priceIds.Count == 0 && StripeLegacyFields.SubscriptionPlan(sub) is { } legacy) priceIds.Add(legacy);
        // The item whose price is one of our plans decides the plan; add-on prices (extra seats) do not.
        var price = priceIds.FirstOrDefault(p => planForPrice(p) is not null) ?? priceIds.FirstOrDefault();

        var periodStart = StripeLegacyFields.SubscriptionPeriodStart(sub) ?? items.Select(i => Time(i.CurrentPeriodStart)).FirstOrDefault(t => t is not null);
        var periodEnd = StripeLegacyFields.SubscriptionPeriodEnd(sub) ?? items.Select(i => Time(i.CurrentPeriodEnd)).FirstOrDefault(t => t is not null);

        var fact = new BillingSubscription(
            sub.Id,
            sub.Status ?? StripeStatus.Active,
            price,
            Time(sub.Created) ?? observedAt,
            periodStart,
            periodEnd,
            sub.CancelAtPeriodEnd,
            Time(sub.CancelAt),
            Time(sub.EndedAt),
            observedAt,
            rank,
            eventId);
        return new SubscriptionFacts(fact, Owner(sub.CustomerId, Metadata(sub.Metadata)), priceIds);
    }

    /// <summary>
    /// An invoice as of one event. Paid (or void) settles it; a failed payment records the failure at the event's time,
    /// and when Stripe schedules no further attempt, that retries are exhausted.
    /// </summary>
    public static InvoiceFacts Invoice(Invoice invoice, string eventType, DateTimeOffset at, string eventId)
    {
        var status = invoice.Status;
        var paid = status == "paid" || StripeLegacyFields.InvoicePaid(invoice) || eventType is "invoice.paid" or "invoice.payment_succeeded";
        var settled = paid || status == "void";
        var failed = !settled && (eventType == "invoice.payment_failed" || status == "uncollectible" || (status == "open" && invoice.Attempted));
        var exhausted = failed && (status == "uncollectible" || invoice.NextPaymentAttempt is null);

        var details = invoice.Parent?.SubscriptionDetails;
        var subscriptionId = StripeLegacyFields.InvoiceSubscription(invoice) ?? details?.SubscriptionId;

        var fact = new BillingInvoice(
            invoice.Id,
            subscriptionId,
            settled,
            paid ? Time(invoice.StatusTransitions?.PaidAt) ?? at : null,
            failed ? at : null,
            exhausted ? at : null,
            failed ? eventId : null,
            at);

        var hints = new[]
        {
            Metadata(invoice.Metadata),
            Metadata(details?.Metadata),
            StripeLegacyFields.InvoiceSubscriptionMetadata(invoice, StripeOwner.OrgIdMetadataKey),
        };
        var related = new[] { fact.Id, subscriptionId, StripeLegacyFields.InvoiceCharge(invoice), StripeLegacyFields.InvoicePaymentIntent(invoice) }
            .OfType<string>().ToList();
        return new InvoiceFacts(fact, Owner(invoice.CustomerId, hints), related);
    }

    public static DisputeFacts Dispute(Dispute dispute, DateTimeOffset observedAt, string eventId)
    {
        var status = dispute.Status ?? "needs_response";
        var fact = new BillingDispute(
            dispute.Id,
            status,
            Time(dispute.Created) ?? observedAt,
            StripeStatus.IsClosed(status) ? observedAt : null,
            observedAt,
            eventId);
        return new DisputeFacts(fact, dispute.ChargeId, dispute.PaymentIntentId,
            Owner(dispute.Charge?.CustomerId, Metadata(dispute.Metadata)));
    }

    public static CheckoutSessionFacts CheckoutSession(Session session) =>
        new(session.Id, session.SubscriptionId, Owner(session.CustomerId, session.ClientReferenceId, Metadata(session.Metadata)));

    public static CustomerFacts Customer(Customer customer, DateTimeOffset observedAt, string eventId) => new(
        new BillingCustomer(customer.Id, customer.Email, customer.Delinquent ?? false, observedAt, eventId),
        Owner(customer.Id, Metadata(customer.Metadata)));

    /// <summary>Stripe.net's time of a Unix timestamp field; an absent one reads as the default date.</summary>
    private static DateTimeOffset? Time(DateTime? time) =>
        time is { } t && t != default ? new DateTimeOffset(DateTime.SpecifyKind(t, DateTimeKind.Utc)) : null;

    private static string? Metadata(Dictionary<string, string>? metadata) =>
        metadata is not null && metadata.TryGetValue(StripeOwner.OrgIdMetadataKey, out var value) ? value : null;

    private static StripeOwner Owner(string? customerId, params string?[] hints) =>
        new(customerId, hints.Where(OrganisationId.IsValid).OfType<string>().Distinct(StringComparer.Ordinal).ToList());
}

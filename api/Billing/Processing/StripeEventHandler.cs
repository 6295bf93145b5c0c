using System.Collections.Frozen;
using Microsoft.Extensions.Logging;
using Stripe;
using Stripe.Checkout;
using Taskee.Api.Billing.Stripe;
using Taskee.Grains.Billing;
using Taskee.Grains.Interfaces;
using Taskee.Grains.Storage;

namespace Taskee.Api.Billing.Processing;

/// <summary>What became of one event; an unmatched one waits for <paramref name="WaitingFor"/> to be linked.</summary>
public sealed record EventOutcome(string Status, string? OrgId, string Detail, string? WaitingFor = null)
{
    public static EventOutcome Ignored(string detail) => new(StripeEventStatus.Ignored, null, detail);
}

/// <summary>
/// Turns one stored Stripe event into billing facts of one organisation. With an API key, the event's object is read
/// again from Stripe first, so what is applied is Stripe's current state, whatever order events arrive in. The
/// organisation is the one linked to the object's customer, else the one named by <c>metadata.org_id</c> (or a
/// checkout session's <c>client_reference_id</c>), which then gets linked.
/// </summary>
public sealed class StripeEventHandler(
    BillingApplier applier,
    IBillingStore billing,
    IOrganisationStore organisations,
    IStripeEventStore events,
    StripeApi stripe,
    TimeProvider clock,
    ILogger<StripeEventHandler> logger)
{
    public static readonly FrozenSet<string> HandledTypes = new[]
    {
        "customer.subscription.created", "customer.subscription.updated", "customer.subscription.deleted", "customer.subscription.trial_will_end",
        "checkout.session.completed",
        "invoice.paid", "invoice.payment_succeeded", "invoice.payment_failed",
        "charge.dispute.created", "charge.dispute.updated", "charge.dispute.closed",
        "customer.updated",
    }.ToFrozenSet(StringComparer.Ordinal);

    public async Task<EventOutcome> HandleAsync(StripeEventRecord record, CancellationToken ct)
    {
        if (StripeEvents.Parse(record.Payload) is not { } evt) return EventOutcome.Ignored("The stored payload is not a Stripe event.");
        return (evt.Type, evt.Data.Object) switch
        {
            (_, Subscription subscription) when evt.Type.StartsWith("customer.subscription.", StringComparison.Ordinal) && HandledTypes.Contains(evt.Type)
                => await SubscriptionAsync(evt, subscription, ct),
            ("checkout.session.completed", Session session) => await CheckoutSessionAsync(evt, session, ct),
            ("invoice.paid" or "invoice.payment_succeeded" or "invoice.payment_failed", Invoice invoice) => await InvoiceAsync(evt, invoice, ct),
            ("charge.dispute.created" or "charge.dispute.updated" or "charge.dispute.closed", Dispute dispute) => await DisputeAsync(evt, dispute, ct),
            ("customer.updated", Customer customer) => await CustomerAsync(evt, customer, ct),
            _ when HandledTypes.Contains(evt.Type) => EventOutcome.Ignored($"The object of '{evt.Type}' is not the kind of object that event carries."),
            _ => EventOutcome.Ignored($"'{evt.Type}' is not an event billing acts on."),
        };
    }

    private async Task<EventOutcome> SubscriptionAsync(Event evt, Subscription delivered, CancellationToken ct)
    {
        var (current, observedAt, read) = await CurrentAsync(evt, delivered, delivered.Id, id => stripe.Subscriptions.GetAsync(id, cancellationToken: ct), ct);
        var subscription = StripeFacts.Subscription(current, observedAt, read ? StripeFacts.RankOf(StripeFacts.ReadFromStripe) : StripeFacts.RankOf(evt.Type),
            evt.Id, applier.PlanForPrice);
        var target = await ResolveAsync(subscription.Owner, [subscription.Fact.Id], ct);
        if (target.Miss is { } miss) return miss;

        var outcome = await ApplyAsync(evt, target, f => BillingFacts.WithSubscription(f, subscription.Fact), ct);
        if (outcome.Status == StripeEventStatus.Processed) await RememberAsync([subscription.Fact.Id], target.OrgId!, ct);
        return outcome;
    }

    private async Task<EventOutcome> CheckoutSessionAsync(Event evt, Session delivered, CancellationToken ct)
    {
        var (current, _, _) = await CurrentAsync(evt, delivered, delivered.Id, id => stripe.CheckoutSessions.GetAsync(id, cancellationToken: ct), ct);
        var session = StripeFacts.CheckoutSession(current);
        if (session.Owner.CustomerId is null) return EventOutcome.Ignored($"Checkout session {session.Id} has no customer to link.");
        var target = await ResolveAsync(session.Owner, [], ct);
        if (target.Miss is { } miss) return miss;

        var outcome = await ApplyAsync(evt, target, _ => null, ct);
        if (outcome.Status != StripeEventStatus.Processed || session.SubscriptionId is not { } subscriptionId || !stripe.IsConfigured) return outcome;

        // The session names the subscription it started: read it now rather than wait for its own event.
        var subscription = StripeFacts.Subscription(await stripe.Subscriptions.GetAsync(subscriptionId, cancellationToken: ct), clock.GetUtcNow(),
            StripeFacts.RankOf(StripeFacts.ReadFromStripe), evt.Id, applier.PlanForPrice);
        var applied = await ApplyAsync(evt, target with { Link = null }, f => BillingFacts.WithSubscription(f, subscription.Fact), ct);
        await RememberAsync([subscriptionId], target.OrgId!, ct);
        return applied;
    }

    private async Task<EventOutcome> InvoiceAsync(Event evt, Invoice delivered, CancellationToken ct)
    {
        var (current, _, _) = await CurrentAsync(evt, delivered, delivered.Id, id => stripe.Invoices.GetAsync(id, cancellationToken: ct), ct);
        // Payment and failure times are the event's: a later read must not move them.
        var invoice = StripeFacts.Invoice(current, evt.Type, StripeEvents.CreatedAt(evt), evt.Id);
        var target = await ResolveAsync(invoice.Owner, invoice.RelatedIds, ct);
        if (target.Miss is { } miss) return miss;

        var outcome = await ApplyAsync(evt, target, f => BillingFacts.WithInvoice(f, invoice.Fact), ct);
        if (outcome.Status == StripeEventStatus.Processed) await RememberAsync(invoice.RelatedIds, target.OrgId!, ct);
        return outcome;
    }

    private async Task<EventOutcome> DisputeAsync(Event evt, Dispute delivered, CancellationToken ct)
    {
        var (current, observedAt, _) = await CurrentAsync(evt, delivered, delivered.Id, id => stripe.Disputes.GetAsync(id, cancellationToken: ct), ct);
        var dispute = StripeFacts.Dispute(current, observedAt, evt.Id);
        var owner = dispute.Owner;
        var related = new[] { dispute.ChargeId, dispute.PaymentIntentId }.OfType<string>().ToList();
        if (owner.CustomerId is null && dispute.ChargeId is { } chargeId && stripe.IsConfigured && !await AnyKnownAsync(related, ct))
        {
            // A dispute names its charge, not its customer: ask Stripe whose charge it is.
            var charge = await stripe.Charges.GetAsync(chargeId, cancellationToken: ct);
            owner = owner with { CustomerId = charge.CustomerId };
        }
        var target = await ResolveAsync(owner, related, ct);
        if (target.Miss is { } miss)
        {
            // Without an API key a dispute is placed by its charge, known once the charge's invoice was seen.
            return miss.Status == StripeEventStatus.Ignored && dispute.ChargeId is { } charge
                ? new EventOutcome(StripeEventStatus.Unmatched, null, $"Charge {charge} is not known yet; processed again once its invoice is.", charge)
                : miss;
        }
        return await ApplyAsync(evt, target, f => BillingFacts.WithDispute(f, dispute.Fact), ct);
    }

    private async Task<EventOutcome> CustomerAsync(Event evt, Customer delivered, CancellationToken ct)
    {
        var (current, observedAt, _) = await CurrentAsync(evt, delivered, delivered.Id, id => stripe.Customers.GetAsync(id, cancellationToken: ct), ct);
        var customer = StripeFacts.Customer(current, observedAt, evt.Id);
        var target = await ResolveAsync(customer.Owner, [], ct);
        if (target.Miss is { } miss) return miss;
        return await ApplyAsync(evt, target, f => BillingFacts.WithCustomer(f, customer.Fact), ct);
    }

    /// <summary>
    /// The event's object as Stripe holds it now (with an API key), or as delivered. A read object is observed now;
    /// a delivered one when its event was created.
    /// </summary>
    private async Task<(T Object, DateTimeOffset ObservedAt, bool Read)> CurrentAsync<T>(Event evt, T delivered, string? id, Func<string, Task<T>> read,
        CancellationToken ct)
    {
        if (!stripe.IsConfigured || string.IsNullOrEmpty(id)) return (delivered, StripeEvents.CreatedAt(evt), false);
        try
        {
            var observedAt = clock.GetUtcNow();
            return (await read(id), observedAt, true);
        }
        catch (StripeException ex) when (ex.IsNotFound())
        {
            return (delivered, StripeEvents.CreatedAt(evt), false); // deleted at Stripe since: the event is the last word
        }
    }

    /// <summary>Remembers whose objects these are, and gives events that waited for them another go.</summary>
    private async Task RememberAsync(IReadOnlyList<string> objectIds, string orgId, CancellationToken ct)
    {
        await billing.RememberAsync(objectIds, orgId, clock.GetUtcNow(), ct);
        await events.RequeueUnmatchedAsync(objectIds, clock.GetUtcNow(), ct);
    }

    private async Task<bool> AnyKnownAsync(IReadOnlyList<string> objectIds, CancellationToken ct)
    {
        foreach (var id in objectIds)
        {
            if (await billing.FindByObjectAsync(id, ct) is not null) return true;
        }
        return false;
    }

    private sealed record Target(string? OrgId, string? Link, EventOutcome? Miss);

    /// <summary>The organisation an object belongs to: by its linked customer, by a related object seen before, or by the hints it carries.</summary>
    private async Task<Target> ResolveAsync(StripeOwner owner, IReadOnlyList<string> relatedIds, CancellationToken ct)
    {
        if (owner.CustomerId is { } customer && await billing.FindByCustomerAsync(customer, ct) is { } linked) return new(linked, null, null);
        foreach (var related in relatedIds)
        {
            if (await billing.FindByObjectAsync(related, ct) is { } known) return new(known, null, null);
        }
        foreach (var hint in owner.OrgHints)
        {
            if (await organisations.GetAsync(hint, ct) is not null) return new(hint, owner.CustomerId, null);
        }
        return owner.CustomerId is { } unknown
            ? new(null, null, new EventOutcome(StripeEventStatus.Unmatched, null, $"Customer {unknown} is not linked to an organisation yet; processed again when it is.", unknown))
            : new(null, null, EventOutcome.Ignored("The object names no customer and no organisation (metadata.org_id)."));
    }

    private async Task<EventOutcome> ApplyAsync(Event evt, Target target, Func<OrganisationBilling, OrganisationBilling?> merge, CancellationToken ct)
    {
        var orgId = target.OrgId!;
        var result = await applier.ApplyAsync(orgId, target.Link, merge, new ChangeContext(new AuditActor("stripe", evt.Id), null, null), ct: ct);
        switch (result.Status)
        {
            case WriteStatus.NotFound:
                return EventOutcome.Ignored($"Organisation {orgId} no longer exists.");
            case WriteStatus.Conflict:
                BillingLog.LinkConflict(logger, target.Link ?? "", orgId, evt.Id);
                return EventOutcome.Ignored($"Organisation {orgId} is linked to another Stripe customer than {target.Link}.");
        }
        if (result.Linked && target.Link is { } customer) await events.RequeueUnmatchedAsync([customer], clock.GetUtcNow(), ct);
        var detail = result.Status == WriteStatus.Done
            ? $"Applied: status {result.Organisation!.Status}, plan {result.Organisation.PlanId}, version {result.Organisation.Version}."
            : "No change: already known, or older than what is known.";
        return new EventOutcome(StripeEventStatus.Processed, orgId, detail);
    }
}

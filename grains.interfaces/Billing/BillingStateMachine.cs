using Taskee.Grains.Interfaces;

namespace Taskee.Grains.Billing;

/// <summary>What the billing facts call for at one moment.</summary>
/// <param name="Status">The organisation status; null when billing has no opinion (no subscription, nothing wrong).</param>
/// <param name="PlanId">The plan the subscription's price maps to, the free plan once it ended; null when unknown.</param>
/// <param name="Anchor">The start of the subscription's current period: <c>ai_calls</c> resets with Stripe's cycle.</param>
/// <param name="DueAt">The next moment the decision changes by time alone (grace ends, the period ends).</param>
/// <param name="DueEventId">The Stripe event whose consequence that is (the audit actor of the timed change).</param>
public sealed record BillingOutcome(
    string? Status,
    string? PlanId,
    DateTimeOffset? Anchor,
    IReadOnlyList<string> RestrictedFeatures,
    DateTimeOffset? DueAt,
    string? DueEventId);

/// <summary>
/// The subscription state machine: from billing facts and the time to status, plan, anchor and restricted features.
/// Pure. Precedence, strongest first:
/// <list type="number">
/// <item>the subscription ended (canceled, or cancel at period end and the period is over): <c>cancelled</c>, free plan;</item>
/// <item>a lost dispute not settled by a later payment: <c>suspended</c>;</item>
/// <item>Stripe stopped retrying a failed payment (or the subscription is unpaid): <c>grace</c> for the grace period, then <c>suspended</c>;</item>
/// <item>a failed payment Stripe still retries (or the subscription is past_due/incomplete): <c>past_due</c>;</item>
/// <item>a paused subscription: <c>suspended</c>;</item>
/// <item>otherwise the subscription's own status: <c>trialing</c> or <c>active</c>.</item>
/// </list>
/// An open dispute restricts the policy's features whatever the status. A payment (or an active subscription seen
/// later) settles earlier failures; a payment after a lost dispute settles it.
/// </summary>
public static class BillingStateMachine
{
    public static BillingOutcome Decide(OrganisationBilling facts, DateTimeOffset now, BillingPolicy policy, Func<string, string?> planForPrice)
    {
        var subscription = facts.Subscription;
        var goodStanding = BillingFacts.Max(facts.LastPaidAt,
            subscription is { Status: StripeStatus.Active or StripeStatus.Trialing } ? subscription.ObservedAt : null);
        var failing = facts.Invoices.Where(i => !i.Settled && i.FailedAt is { } failed && !(goodStanding > failed)).ToList();
        var lost = facts.Disputes.Any(d => d.Status == StripeStatus.Lost && !(facts.LastPaidAt > (d.ClosedAt ?? d.ObservedAt)));
        var disputeOpen = facts.Disputes.Any(d => !StripeStatus.IsClosed(d.Status));

        // Grace starts at the earliest moment Stripe gave up on a failing invoice, or the subscription turned unpaid.
        var graceStarts = failing.Where(i => i.RetriesExhaustedAt is not null)
            .Select(i => (At: i.RetriesExhaustedAt!.Value, EventId: i.FailedEventId))
            .Concat(subscription?.Status == StripeStatus.Unpaid && facts.UnpaidSince is { } since ? [(since, facts.UnpaidEventId)] : [])
            .OrderBy(g => g.At).ToList();

        string? status;
        DateTimeOffset? due = null;
        string? dueEvent = null;
        if (subscription is not null && HasEnded(subscription, now))
        {
            status = OrganisationStatus.Cancelled;
        }
        else if (lost)
        {
            status = OrganisationStatus.Suspended;
        }
        else if (graceStarts.Count > 0)
        {
            var graceEnds = graceStarts[0].At + policy.Grace;
            status = now >= graceEnds ? OrganisationStatus.Suspended : OrganisationStatus.Grace;
            if (now < graceEnds) (due, dueEvent) = (graceEnds, graceStarts[0].EventId);
        }
        else if (failing.Count > 0 || subscription?.Status is StripeStatus.PastDue or StripeStatus.Incomplete)
        {
            status = OrganisationStatus.PastDue;
        }
        else if (subscription is null)
        {
            // No subscription (a manually invoiced deal): billing only speaks up about disputes, and once it has,
            // a settled situation means active again.
            status = facts.Decided?.Status is null ? null : OrganisationStatus.Active;
        }
        else
        {
            status = subscription.Status switch
            {
                StripeStatus.Paused => OrganisationStatus.Suspended,
                StripeStatus.Trialing => OrganisationStatus.Trialing,
                _ => OrganisationStatus.Active,
            };
        }

        if (subscription is not null && status != OrganisationStatus.Cancelled && EndsAt(subscription) is { } ends && (due is null || ends < due))
            (due, dueEvent) = (ends, subscription.EventId);

        string? plan = null;
        if (subscription is not null)
            plan = status == OrganisationStatus.Cancelled ? policy.FreePlan : subscription.PriceId is { } price ? planForPrice(price) : null;

        var restricted = disputeOpen ? policy.DisputeRestrictedFeatures.Order(StringComparer.Ordinal).ToList() : [];
        return new BillingOutcome(status, plan, subscription?.CurrentPeriodStart, restricted, due, dueEvent);
    }

    /// <summary>
    /// Applies the facts to the organisation. Status, plan and anchor change only when billing's decision about them
    /// changes, so an admin's manual setting stands until Stripe says something new; restricted features and the
    /// next due time always follow the facts.
    /// </summary>
    public static Organisation Apply(Organisation organisation, OrganisationBilling facts, DateTimeOffset now, BillingPolicy policy,
        Func<string, string?> planForPrice, Func<string, bool> planExists)
    {
        var outcome = Decide(facts, now, policy, planForPrice);
        var previous = facts.Decided;

        var status = outcome.Status is { } s && s != previous?.Status ? s : organisation.Status;
        var planChanges = outcome.PlanId is { } p && p != previous?.PlanId && planExists(p);
        var plan = planChanges ? outcome.PlanId! : organisation.PlanId;
        var anchor = outcome.Anchor is { } a && a != previous?.Anchor ? a : organisation.BillingAnchor;

        var decided = new BillingDecision(outcome.Status, planChanges ? outcome.PlanId : previous?.PlanId, outcome.Anchor);
        return organisation with
        {
            Status = status,
            PlanId = plan,
            BillingAnchor = anchor,
            Billing = facts with
            {
                Decided = decided,
                RestrictedFeatures = outcome.RestrictedFeatures,
                DueAt = outcome.DueAt,
                DueEventId = outcome.DueEventId,
            },
        };
    }

    /// <summary>True once the subscription is over: canceled, ended, or set to cancel and its time has come.</summary>
    public static bool HasEnded(BillingSubscription subscription, DateTimeOffset now) =>
        StripeStatus.IsEnded(subscription.Status)
        || subscription.EndedAt <= now
        || EndsAt(subscription) <= now;

    /// <summary>When a live subscription is set to end: the period end when cancelling at period end, or cancel_at.</summary>
    private static DateTimeOffset? EndsAt(BillingSubscription subscription) =>
        BillingFacts.Min(subscription.CancelAtPeriodEnd ? subscription.CurrentPeriodEnd : null, subscription.CancelAt);
}

using System.Text.Json.Nodes;

namespace Taskee.Tests.Billing;

/// <summary>One moment of the subscription lifecycle: the clock, the events Stripe sends then, and whether deadlines are checked.</summary>
public sealed record LifecycleStep(string Name, DateTimeOffset At, IReadOnlyList<JsonObject> Events, bool CheckDeadlines = false);

/// <summary>
/// A year in the life of a Pro subscription, as Stripe's events: checkout and trial, first payment, a failed renewal,
/// Stripe giving up, grace running out, payment after all, a dispute that is lost, cancellation at period end.
/// Every id is unique to the organisation, so scenarios of several organisations share a node.
/// </summary>
public sealed class Lifecycle(string orgId, string priceId)
{
    public static readonly DateTimeOffset T0 = new(2026, 3, 2, 9, 0, 0, TimeSpan.Zero);
    public static readonly DateTimeOffset Trial = T0.AddDays(14);          // first paid period starts
    public static readonly DateTimeOffset Renewal = Trial.AddMonths(1);     // the renewal that fails
    public static readonly DateTimeOffset GaveUp = Renewal.AddDays(7);      // Stripe's last retry fails
    public static readonly DateTimeOffset GraceOver = GaveUp.AddDays(BillingNode.GraceDays).AddMinutes(1);
    public static readonly DateTimeOffset Paid = GaveUp.AddDays(8);
    public static readonly DateTimeOffset Disputed = Paid.AddDays(1);
    public static readonly DateTimeOffset Lost = Disputed.AddDays(8);
    public static readonly DateTimeOffset CancelRequested = Lost.AddDays(1);
    public static readonly DateTimeOffset PeriodEnd = Renewal.AddMonths(1);

    private readonly string _prefix = orgId.Replace("-", "");

    public StripePayloads Stripe { get; } = new(orgId.Replace("-", ""));

    public string OrgId => orgId;

    public string FirstChargeId => $"ch_{_prefix}_1";

    public IReadOnlyList<LifecycleStep> Steps()
    {
        var s = Stripe;
        JsonObject Sub(string status, DateTimeOffset start, DateTimeOffset end, bool cancelAtPeriodEnd = false, DateTimeOffset? endedAt = null) =>
            s.Subscription(status, priceId, T0, start, end, cancelAtPeriodEnd, endedAt, orgIdMetadata: orgId, trialEnd: Trial);
        var firstInvoice = $"in_{_prefix}_0001";
        var renewalInvoice = $"in_{_prefix}_0002";
        var dispute = $"dp_{_prefix}_1";

        return
        [
            new("created", T0,
            [
                s.Event("checkout.session.completed", T0, s.CheckoutSession(orgId, T0)),
                s.Event("customer.subscription.created", T0, Sub("trialing", T0, Trial)),
            ]),
            new("active", Trial,
            [
                s.Event("invoice.paid", Trial, s.Invoice(firstInvoice, Trial, Trial, Renewal, paid: true, paidAt: Trial, chargeId: FirstChargeId, priceId: priceId)),
                s.Event("customer.subscription.updated", Trial, Sub("active", Trial, Renewal), new JsonObject { ["status"] = "trialing" }),
            ]),
            new("payment failed", Renewal,
            [
                s.Event("invoice.payment_failed", Renewal, s.Invoice(renewalInvoice, Renewal, Renewal, PeriodEnd, paid: false, attemptCount: 1,
                    nextPaymentAttempt: Renewal.AddDays(3), chargeId: $"ch_{_prefix}_2", priceId: priceId)),
                s.Event("customer.subscription.updated", Renewal, Sub("past_due", Renewal, PeriodEnd), new JsonObject { ["status"] = "active" }),
            ]),
            new("grace", GaveUp,
            [
                s.Event("invoice.payment_failed", GaveUp, s.Invoice(renewalInvoice, Renewal, Renewal, PeriodEnd, paid: false, attemptCount: 4,
                    nextPaymentAttempt: null, chargeId: $"ch_{_prefix}_3", priceId: priceId)),
                s.Event("customer.subscription.updated", GaveUp, Sub("unpaid", Renewal, PeriodEnd), new JsonObject { ["status"] = "past_due" }),
            ]),
            new("suspended", GraceOver, [], CheckDeadlines: true),
            new("paid", Paid,
            [
                s.Event("invoice.paid", Paid, s.Invoice(renewalInvoice, Renewal, Renewal, PeriodEnd, paid: true, attemptCount: 5, paidAt: Paid,
                    chargeId: $"ch_{_prefix}_4", priceId: priceId)),
                s.Event("customer.subscription.updated", Paid, Sub("active", Renewal, PeriodEnd), new JsonObject { ["status"] = "unpaid" }),
            ]),
            new("dispute opened", Disputed,
            [
                s.Event("charge.dispute.created", Disputed, s.Dispute(dispute, FirstChargeId, "needs_response", Disputed)),
            ]),
            new("dispute lost", Lost,
            [
                s.Event("charge.dispute.updated", Lost.AddHours(-1), s.Dispute(dispute, FirstChargeId, "under_review", Disputed),
                    new JsonObject { ["status"] = "needs_response" }),
                s.Event("charge.dispute.closed", Lost, s.Dispute(dispute, FirstChargeId, "lost", Disputed), new JsonObject { ["status"] = "under_review" }),
            ]),
            new("cancel requested", CancelRequested,
            [
                s.Event("customer.subscription.updated", CancelRequested, Sub("active", Renewal, PeriodEnd, cancelAtPeriodEnd: true),
                    new JsonObject { ["cancel_at_period_end"] = false }),
            ]),
            new("cancelled", PeriodEnd,
            [
                s.Event("customer.subscription.deleted", PeriodEnd, Sub("canceled", Renewal, PeriodEnd, cancelAtPeriodEnd: true, endedAt: PeriodEnd)),
            ]),
        ];
    }

    public IReadOnlyList<JsonObject> AllEvents() => Steps().SelectMany(step => step.Events).ToList();
}

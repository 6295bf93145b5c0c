using System.Collections.Immutable;
using System.Text.Json;
using Taskee.Grains.Billing;
using Taskee.Grains.Interfaces;

namespace Taskee.Tests.Billing;

/// <summary>The state machine and the fact merges as pure functions.</summary>
public sealed class BillingStateMachineTests
{
    private static readonly DateTimeOffset T = new(2026, 6, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly BillingPolicy Policy = new(TimeSpan.FromDays(7), ["api_access", "advanced_reports"], "starter");

    private static string? PlanFor(string price) => price switch
    {
        "price_pro" => "pro",
        "price_ent" => "enterprise",
        _ => null,
    };

    private static BillingSubscription Sub(string status, DateTimeOffset observed, string id = "sub_1", int rank = 1, bool cancelAtPeriodEnd = false,
        DateTimeOffset? created = null, string price = "price_pro") =>
        new(id, status, price, created ?? T.AddDays(-60), T.AddDays(-10), T.AddDays(20), cancelAtPeriodEnd, null, null, observed, rank, $"evt_{status}_{observed.ToUnixTimeSeconds()}");

    private static BillingInvoice Failed(string id, DateTimeOffset at, bool exhausted = false) =>
        new(id, "sub_1", false, null, at, exhausted ? at : null, $"evt_fail_{id}", at);

    private static BillingInvoice Paid(string id, DateTimeOffset at) => new(id, "sub_1", true, at, null, null, null, at);

    private static BillingDispute Dispute(string status, DateTimeOffset at, string id = "dp_1") =>
        new(id, status, T.AddDays(-5), StripeStatus.IsClosed(status) ? at : null, at, $"evt_{id}_{status}");

    private static OrganisationBilling Facts(BillingSubscription? sub = null, BillingInvoice[]? invoices = null, BillingDispute[]? disputes = null)
    {
        var facts = new OrganisationBilling { CustomerId = "cus_1" };
        if (sub is not null) facts = BillingFacts.WithSubscription(facts, sub) ?? facts;
        foreach (var invoice in invoices ?? []) facts = BillingFacts.WithInvoice(facts, invoice) ?? facts;
        foreach (var dispute in disputes ?? []) facts = BillingFacts.WithDispute(facts, dispute) ?? facts;
        return facts;
    }

    private static BillingOutcome Decide(OrganisationBilling facts, DateTimeOffset? now = null) =>
        BillingStateMachine.Decide(facts, now ?? T, Policy, PlanFor);

    public static TheoryData<string, string, string?> Cases => new()
    {
        { "trialing subscription", Show(Decide(Facts(Sub("trialing", T)))), "trialing/pro" },
        { "active subscription", Show(Decide(Facts(Sub("active", T)))), "active/pro" },
        { "failed, Stripe retries", Show(Decide(Facts(Sub("active", T.AddDays(-2)), [Failed("in_1", T.AddDays(-1))]))), "past_due/pro" },
        { "past_due subscription alone", Show(Decide(Facts(Sub("past_due", T)))), "past_due/pro" },
        { "retries exhausted, within grace", Show(Decide(Facts(Sub("past_due", T), [Failed("in_1", T.AddDays(-6), exhausted: true)]))), "grace/pro" },
        { "retries exhausted, grace over", Show(Decide(Facts(Sub("past_due", T), [Failed("in_1", T.AddDays(-7), exhausted: true)]))), "suspended/pro" },
        { "unpaid subscription within grace", Show(Decide(Facts(Sub("unpaid", T.AddDays(-1))))), "grace/pro" },
        { "paid after the failure", Show(Decide(Facts(Sub("past_due", T.AddDays(-3)), [Failed("in_1", T.AddDays(-3), true), Paid("in_2", T.AddDays(-1))]))), "past_due/pro" },
        { "the failed invoice paid", Show(Decide(Facts(Sub("active", T.AddDays(-1)), [Failed("in_1", T.AddDays(-9), true), Paid("in_1", T.AddDays(-1))]))), "active/pro" },
        { "active seen after a failure", Show(Decide(Facts(Sub("active", T.AddDays(-1)), [Failed("in_1", T.AddDays(-9), true)]))), "active/pro" },
        { "open dispute", Show(Decide(Facts(Sub("active", T), disputes: [Dispute("needs_response", T)]))), "active/pro/advanced_reports,api_access" },
        { "dispute won", Show(Decide(Facts(Sub("active", T), disputes: [Dispute("won", T)]))), "active/pro" },
        { "dispute lost", Show(Decide(Facts(Sub("active", T), disputes: [Dispute("lost", T.AddDays(-1))]))), "suspended/pro" },
        { "dispute lost, paid later", Show(Decide(Facts(Sub("active", T), [Paid("in_9", T)], [Dispute("lost", T.AddDays(-1))]))), "active/pro" },
        { "cancelled beats a lost dispute", Show(Decide(Facts(Sub("canceled", T), disputes: [Dispute("lost", T.AddDays(-1))]))), "cancelled/starter" },
        { "paused", Show(Decide(Facts(Sub("paused", T)))), "suspended/pro" },
        { "unknown price", Show(Decide(Facts(Sub("active", T, price: "price_other")))), "active/" },
        { "no subscription, nothing wrong", Show(Decide(Facts())), "/" },
        { "no subscription, dispute lost", Show(Decide(Facts(disputes: [Dispute("lost", T)]))), "suspended/" },
    };

    private static string Show(BillingOutcome o) =>
        $"{o.Status}/{o.PlanId}" + (o.RestrictedFeatures.Count > 0 ? "/" + string.Join(",", o.RestrictedFeatures) : "");

    [Theory]
    [MemberData(nameof(Cases))]
    public void The_facts_decide_status_plan_and_restrictions(string situation, string actual, string? expected) =>
        Assert.True(expected == actual, $"{situation}: expected {expected}, got {actual}");

    [Fact]
    public void Grace_ends_exactly_grace_days_after_stripe_gave_up_and_that_is_when_it_is_due()
    {
        var facts = Facts(Sub("past_due", T), [Failed("in_1", T, exhausted: true)]);
        var during = Decide(facts, T.AddDays(7).AddTicks(-1));
        Assert.Equal(OrganisationStatus.Grace, during.Status);
        Assert.Equal(T.AddDays(7), during.DueAt);
        Assert.Equal("evt_fail_in_1", during.DueEventId);
        Assert.Equal(OrganisationStatus.Suspended, Decide(facts, T.AddDays(7)).Status);
    }

    [Fact]
    public void A_subscription_set_to_cancel_is_due_at_its_period_end_and_cancelled_after()
    {
        var facts = Facts(Sub("active", T, cancelAtPeriodEnd: true));
        var before = Decide(facts, T);
        Assert.Equal(OrganisationStatus.Active, before.Status);
        Assert.Equal(T.AddDays(20), before.DueAt);
        var after = Decide(facts, T.AddDays(20));
        Assert.Equal((OrganisationStatus.Cancelled, "starter", (DateTimeOffset?)null), (after.Status, after.PlanId, after.DueAt));
    }

    [Fact]
    public void A_manual_status_stands_until_billings_decision_changes()
    {
        var org = new Organisation("acme", "Acme", "starter", OrganisationStatus.Active,
            ImmutableSortedDictionary<string, long>.Empty, ImmutableSortedDictionary<string, bool>.Empty, null, 1, T, T);
        var facts = Facts(Sub("active", T));
        var applied = BillingStateMachine.Apply(org, facts, T, Policy, PlanFor, _ => true);
        Assert.Equal(("active", "pro"), (applied.Status, applied.PlanId));

        // An admin suspends by hand; a Stripe fact that does not change billing's decision leaves that alone.
        var suspended = applied with { Status = OrganisationStatus.Suspended };
        var paid = BillingFacts.WithInvoice(suspended.Billing!, Paid("in_5", T.AddDays(1)))!;
        Assert.Equal(OrganisationStatus.Suspended, BillingStateMachine.Apply(suspended, paid, T.AddDays(1), Policy, PlanFor, _ => true).Status);

        // A failure does change it.
        var failed = BillingFacts.WithInvoice(paid, Failed("in_6", T.AddDays(2)))!;
        Assert.Equal(OrganisationStatus.PastDue, BillingStateMachine.Apply(suspended, failed, T.AddDays(2), Policy, PlanFor, _ => true).Status);
    }

    public static TheoryData<string, bool> Orderings => new()
    {
        { "newer observation of the same subscription", BillingFacts.Supersedes(Sub("past_due", T.AddSeconds(1)), Sub("active", T)) },
        { "!older observation of the same subscription", BillingFacts.Supersedes(Sub("past_due", T.AddSeconds(-1)), Sub("active", T)) },
        { "same second: updated after created", BillingFacts.Supersedes(Sub("active", T, rank: 1), Sub("incomplete", T, rank: 0)) },
        { "!same second: created after updated", BillingFacts.Supersedes(Sub("incomplete", T, rank: 0), Sub("active", T, rank: 1)) },
        { "same second, same kind: a cancellation wins", BillingFacts.Supersedes(Sub("canceled", T), Sub("active", T)) },
        { "a read from Stripe at the same moment", BillingFacts.Supersedes(Sub("past_due", T, rank: BillingFacts.ReadRank), Sub("active", T, rank: BillingFacts.ReadRank)) },
        { "!an ended subscription never comes back", BillingFacts.Supersedes(Sub("active", T.AddDays(1)), Sub("canceled", T)) },
        { "a live subscription replaces an ended one", BillingFacts.Supersedes(Sub("active", T, id: "sub_2"), Sub("canceled", T.AddDays(1))) },
        { "!a late end of an old subscription does not replace a live one", BillingFacts.Supersedes(Sub("canceled", T.AddDays(1)), Sub("active", T, id: "sub_2")) },
        { "the newer of two live subscriptions", BillingFacts.Supersedes(Sub("active", T, id: "sub_2", created: T), Sub("active", T.AddDays(1), created: T.AddDays(-90))) },
    };

    [Theory]
    [MemberData(nameof(Orderings))]
    public void Subscription_snapshots_are_ordered_by_time_rank_and_their_own_state(string rule, bool supersedes) =>
        Assert.True(supersedes == !rule.StartsWith('!'), rule);

    [Fact]
    public void Any_order_and_any_repetition_of_the_same_observations_gives_the_same_facts()
    {
        var observations = new List<Func<OrganisationBilling, OrganisationBilling?>>
        {
            f => BillingFacts.WithSubscription(f, Sub("trialing", T, rank: 0)),
            f => BillingFacts.WithSubscription(f, Sub("active", T.AddDays(14))),
            f => BillingFacts.WithInvoice(f, Paid("in_1", T.AddDays(14))),
            f => BillingFacts.WithInvoice(f, Failed("in_2", T.AddDays(44))),
            f => BillingFacts.WithSubscription(f, Sub("past_due", T.AddDays(44))),
            f => BillingFacts.WithInvoice(f, Failed("in_2", T.AddDays(51), exhausted: true)),
            f => BillingFacts.WithInvoice(f, Paid("in_2", T.AddDays(53))),
            f => BillingFacts.WithSubscription(f, Sub("active", T.AddDays(53))),
            f => BillingFacts.WithDispute(f, Dispute("needs_response", T.AddDays(54))),
            f => BillingFacts.WithDispute(f, Dispute("under_review", T.AddDays(58))),
            f => BillingFacts.WithDispute(f, Dispute("lost", T.AddDays(62))),
            f => BillingFacts.WithSubscription(f, Sub("canceled", T.AddDays(75), rank: 2)),
        };
        string Run(IEnumerable<Func<OrganisationBilling, OrganisationBilling?>> order) =>
            JsonSerializer.Serialize(order.Aggregate(new OrganisationBilling { CustomerId = "cus_1" }, (facts, observe) => observe(facts) ?? facts));

        var expected = Run(observations);
        var random = new Random(42);
        for (var i = 0; i < 300; i++)
        {
            var shuffled = observations.Concat(observations.Where(_ => random.Next(3) == 0)).OrderBy(_ => random.Next()).ToList();
            Assert.Equal(expected, Run(shuffled));
        }
    }
}

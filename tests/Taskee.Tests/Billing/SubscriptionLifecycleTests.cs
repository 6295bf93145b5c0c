using System.Net;
using System.Text.Json.Nodes;
using Taskee.Tests.Infrastructure;

namespace Taskee.Tests.Billing;

/// <summary>
/// The subscription state machine end to end, driven only by signed webhook deliveries shaped like Stripe's events,
/// checking entitlements after every step; then the same events duplicated, replayed, reversed and shuffled.
/// </summary>
public sealed class SubscriptionLifecycleTests
{
    private const string Pro = "pro";

    private static string PriceOf(string orgId) => $"price_pro_{orgId.Replace("-", "")}";

    private static async Task<Lifecycle> NewOrganisationAsync(BillingNode node, string prefix = "life")
    {
        var orgId = TestApi.NewOrgId(prefix);
        await node.Admin.CreateOrganisationAsync(orgId, "starter");
        await node.MapPriceAsync(Pro, PriceOf(orgId));
        return new Lifecycle(orgId, PriceOf(orgId));
    }

    [Fact]
    public async Task A_subscription_lives_its_whole_life_from_signed_webhooks_and_entitlements_follow_every_step()
    {
        await using var node = await BillingNode.StartAsync(Lifecycle.T0);
        var life = await NewOrganisationAsync(node);
        var id = life.OrgId;
        var steps = life.Steps().ToDictionary(s => s.Name);

        async Task Run(string name)
        {
            var step = steps[name];
            node.Clock.Set(step.At);
            await node.DeliverAndProcessAsync([.. step.Events]);
            if (step.CheckDeadlines) await node.CheckDeadlinesAsync();
        }

        await Run("created");
        await AssertStateAsync(node, id, "trialing", Pro, usage: "ok", apiAccess: "plan", aiLimit: 20_000);
        var billing = await node.BillingAsync(id);
        Assert.Equal(life.Stripe.CustomerId, billing["stripeCustomerId"]!.GetValue<string>());
        Assert.Equal(Lifecycle.T0, billing["billingAnchor"]!.GetValue<DateTimeOffset>());
        Assert.Equal(Lifecycle.T0.AddMonths(1), (await node.EntitlementsAsync(id))["usage"]!["ai_calls"]!["resetsAt"]!.GetValue<DateTimeOffset>());

        await Run("active");
        await AssertStateAsync(node, id, "active", Pro, usage: "ok", apiAccess: "plan", aiLimit: 20_000);
        Assert.Equal(Lifecycle.Trial, (await node.BillingAsync(id))["billingAnchor"]!.GetValue<DateTimeOffset>());
        Assert.Equal(Lifecycle.Renewal, (await node.EntitlementsAsync(id))["usage"]!["ai_calls"]!["resetsAt"]!.GetValue<DateTimeOffset>());

        await Run("payment failed");
        await AssertStateAsync(node, id, "past_due", Pro, usage: "ok", apiAccess: "plan", aiLimit: 20_000);

        await Run("grace");
        await AssertStateAsync(node, id, "grace", Pro, usage: "ok", apiAccess: "plan", aiLimit: 20_000);
        Assert.Equal(Lifecycle.GaveUp.AddDays(BillingNode.GraceDays), (await node.BillingAsync(id))["graceEndsAt"]!.GetValue<DateTimeOffset>());

        // One minute before the grace period ends nothing happens; after it, the deadline check suspends.
        node.Clock.Set(Lifecycle.GaveUp.AddDays(BillingNode.GraceDays).AddMinutes(-1));
        Assert.Equal(0, await node.CheckDeadlinesAsync());
        await AssertStateAsync(node, id, "grace", Pro, usage: "ok", apiAccess: "plan", aiLimit: 20_000);
        await Run("suspended");
        await AssertStateAsync(node, id, "suspended", Pro, usage: "organisation_suspended", apiAccess: "plan", aiLimit: 20_000);

        await Run("paid");
        await AssertStateAsync(node, id, "active", Pro, usage: "ok", apiAccess: "plan", aiLimit: 20_000);

        await Run("dispute opened");
        await AssertStateAsync(node, id, "active", Pro, usage: "ok", apiAccess: "billing_restricted", aiLimit: 20_000);
        var restricted = await node.EntitlementsAsync(id);
        Assert.Equal("billing_restricted", restricted["features"]!["advanced_reports"]!["reason"]!.GetValue<string>());

        await Run("dispute lost");
        await AssertStateAsync(node, id, "suspended", Pro, usage: "organisation_suspended", apiAccess: "plan", aiLimit: 20_000);

        await Run("cancel requested");
        await AssertStateAsync(node, id, "suspended", Pro, usage: "organisation_suspended", apiAccess: "plan", aiLimit: 20_000);
        var cancelling = await node.BillingAsync(id);
        Assert.True(cancelling["subscription"]!["cancelAtPeriodEnd"]!.GetValue<bool>());
        Assert.Equal(Lifecycle.PeriodEnd, cancelling["nextChangeAt"]!.GetValue<DateTimeOffset>());

        await Run("cancelled");
        await AssertStateAsync(node, id, "cancelled", "starter", usage: "organisation_cancelled", apiAccess: "not_in_plan", aiLimit: 1_000);

        // Every billing change is an audit event by Stripe naming the event; the suspension names the failure that started grace.
        var audit = (await node.Admin.AuditEventsAsync(id)).Where(e => e!["action"]!.GetValue<string>().StartsWith("billing.")).ToList();
        Assert.All(audit, e => Assert.Equal("stripe", e["actor"]!["kind"]!.GetValue<string>()));
        Assert.All(audit, e => Assert.StartsWith("evt_", e["actor"]!["id"]!.GetValue<string>()));
        var statuses = audit.Where(e => e["action"]!.GetValue<string>() == "billing.status.changed")
            .Select(e => e["after"]!["status"]!.GetValue<string>()).ToList();
        Assert.Equal(["trialing", "active", "past_due", "grace", "suspended", "active", "suspended", "cancelled"], statuses);
        var gaveUpEvent = steps["grace"].Events[0]["id"]!.GetValue<string>();
        var suspension = audit.First(e => e["action"]!.GetValue<string>() == "billing.status.changed"
            && e["after"]!["status"]!.GetValue<string>() == "suspended");
        Assert.Equal(gaveUpEvent, suspension["actor"]!["id"]!.GetValue<string>());
    }

    [Fact]
    public async Task Duplicates_replays_reversed_and_shuffled_deliveries_reach_the_same_final_state()
    {
        await using var node = await BillingNode.StartAsync(Lifecycle.T0);
        var inOrder = await NewOrganisationAsync(node, "order");
        var twice = await NewOrganisationAsync(node, "twice");
        var reversed = await NewOrganisationAsync(node, "reverse");
        var shuffled = await NewOrganisationAsync(node, "shuffle");

        // In order, and each delivery twice (Stripe retries), with the clock and deadline checks as they happened.
        foreach (var (orgA, orgB) in inOrder.Steps().Zip(twice.Steps()))
        {
            node.Clock.Set(orgA.At);
            await node.DeliverAndProcessAsync([.. orgA.Events]);
            foreach (var evt in orgB.Events)
            {
                Assert.False((await (await node.DeliverAsync(evt)).ReadJsonAsync())["duplicate"]!.GetValue<bool>());
                var again = await (await node.DeliverAsync(evt)).ReadJsonAsync();
                Assert.True(again["duplicate"]!.GetValue<bool>());
                await node.ProcessAsync();
            }
            if (orgA.CheckDeadlines) await node.CheckDeadlinesAsync();
        }
        node.Clock.Set(Lifecycle.PeriodEnd.AddHours(1));
        var expected = await FinalStateAsync(node, inOrder.OrgId);
        Assert.Equal("cancelled", expected["status"]!.GetValue<string>());
        Assert.Equal(expected.ToJsonString(), (await FinalStateAsync(node, twice.OrgId)).ToJsonString());

        // A replay of everything changes nothing: no new audit event.
        var auditBefore = (await node.Admin.AuditEventsAsync(inOrder.OrgId)).Count;
        foreach (var evt in inOrder.AllEvents()) await node.DeliverAsync(evt);
        await node.ProcessAsync();
        Assert.Equal(auditBefore, (await node.Admin.AuditEventsAsync(inOrder.OrgId)).Count);
        Assert.Equal(expected.ToJsonString(), (await FinalStateAsync(node, inOrder.OrgId)).ToJsonString());

        // Newest first, each processed before the next arrives: older facts never overwrite newer ones.
        foreach (var evt in reversed.AllEvents().Reverse()) await node.DeliverAndProcessAsync(evt);
        Assert.Equal(expected.ToJsonString(), (await FinalStateAsync(node, reversed.OrgId)).ToJsonString());

        var random = new Random(20260302);
        foreach (var evt in shuffled.AllEvents().OrderBy(_ => random.Next())) await node.DeliverAndProcessAsync(evt);
        Assert.Equal(expected.ToJsonString(), (await FinalStateAsync(node, shuffled.OrgId)).ToJsonString());
    }

    [Fact]
    public async Task An_older_subscription_event_arriving_late_does_not_overwrite_newer_state()
    {
        await using var node = await BillingNode.StartAsync(Lifecycle.Renewal);
        var life = await NewOrganisationAsync(node, "late");
        var s = life.Stripe;
        var price = PriceOf(life.OrgId);
        var pastDue = s.Event("customer.subscription.updated", Lifecycle.Renewal,
            s.Subscription("past_due", price, Lifecycle.T0, Lifecycle.Renewal, Lifecycle.PeriodEnd, orgIdMetadata: life.OrgId));
        var active = s.Event("customer.subscription.updated", Lifecycle.Renewal.AddDays(2),
            s.Subscription("active", price, Lifecycle.T0, Lifecycle.Renewal, Lifecycle.PeriodEnd, orgIdMetadata: life.OrgId));

        node.Clock.Set(Lifecycle.Renewal.AddDays(2));
        await node.DeliverAndProcessAsync(active);
        await node.DeliverAndProcessAsync(pastDue);

        Assert.Equal("active", (await node.BillingAsync(life.OrgId))["status"]!.GetValue<string>());
        var stored = await node.StoredEventAsync(pastDue["id"]!.GetValue<string>());
        Assert.Equal("processed", stored!.Status);
        Assert.Contains("No change", stored.Detail);
    }

    [Fact]
    public async Task A_won_dispute_restores_the_restricted_features()
    {
        await using var node = await BillingNode.StartAsync(Lifecycle.Trial);
        var life = await NewOrganisationAsync(node, "won");
        var s = life.Stripe;
        var steps = life.Steps();
        await node.DeliverAndProcessAsync([.. steps[0].Events, .. steps[1].Events]);

        await node.DeliverAndProcessAsync(s.Event("charge.dispute.created", Lifecycle.Trial.AddDays(3), s.Dispute("dp_won", life.FirstChargeId, "needs_response", Lifecycle.Trial.AddDays(3))));
        await AssertStateAsync(node, life.OrgId, "active", Pro, usage: "ok", apiAccess: "billing_restricted", aiLimit: 20_000);

        await node.DeliverAndProcessAsync(s.Event("charge.dispute.closed", Lifecycle.Trial.AddDays(9), s.Dispute("dp_won", life.FirstChargeId, "won", Lifecycle.Trial.AddDays(3))));
        await AssertStateAsync(node, life.OrgId, "active", Pro, usage: "ok", apiAccess: "plan", aiLimit: 20_000);
        var audit = await node.Admin.AuditEventsAsync(life.OrgId);
        Assert.Contains(audit, e => e!["action"]!.GetValue<string>() == "billing.features.restricted");
        Assert.Contains(audit, e => e!["action"]!.GetValue<string>() == "billing.features.restored");
    }

    [Fact]
    public async Task A_subscription_set_to_cancel_ends_when_its_period_ends_even_without_the_deleted_event()
    {
        await using var node = await BillingNode.StartAsync(Lifecycle.Renewal);
        var life = await NewOrganisationAsync(node, "ends");
        var s = life.Stripe;
        await node.DeliverAndProcessAsync(s.Event("customer.subscription.updated", Lifecycle.Renewal,
            s.Subscription("active", PriceOf(life.OrgId), Lifecycle.T0, Lifecycle.Renewal, Lifecycle.PeriodEnd, cancelAtPeriodEnd: true, orgIdMetadata: life.OrgId)));
        await AssertStateAsync(node, life.OrgId, "active", Pro, usage: "ok", apiAccess: "plan", aiLimit: 20_000);

        node.Clock.Set(Lifecycle.PeriodEnd.AddSeconds(-1));
        Assert.Equal(0, await node.CheckDeadlinesAsync());
        node.Clock.Set(Lifecycle.PeriodEnd);
        Assert.Equal(1, await node.CheckDeadlinesAsync());

        await AssertStateAsync(node, life.OrgId, "cancelled", "starter", usage: "organisation_cancelled", apiAccess: "not_in_plan", aiLimit: 1_000);
    }

    [Fact]
    public async Task Events_in_the_2025_api_shape_are_read_the_same_way()
    {
        await using var node = await BillingNode.StartAsync(Lifecycle.Renewal);
        var life = await NewOrganisationAsync(node, "basil");
        var s = life.Stripe;
        var sub = s.Subscription("active", PriceOf(life.OrgId), Lifecycle.T0, Lifecycle.Renewal, Lifecycle.PeriodEnd, orgIdMetadata: life.OrgId, basil: true);
        await node.DeliverAndProcessAsync(s.Event("customer.subscription.created", Lifecycle.Renewal, sub, apiVersion: StripePayloads.BasilApiVersion));
        Assert.Equal(Lifecycle.Renewal, (await node.BillingAsync(life.OrgId))["billingAnchor"]!.GetValue<DateTimeOffset>());

        var failed = s.Invoice("in_basil_1", Lifecycle.Renewal, Lifecycle.Renewal, Lifecycle.PeriodEnd, paid: false, nextPaymentAttempt: null, basil: true);
        node.Clock.Set(Lifecycle.Renewal.AddHours(1));
        await node.DeliverAndProcessAsync(s.Event("invoice.payment_failed", Lifecycle.Renewal.AddHours(1), failed, apiVersion: StripePayloads.BasilApiVersion));
        var billing = await node.BillingAsync(life.OrgId);
        Assert.Equal("grace", billing["status"]!.GetValue<string>());
        Assert.Equal(Lifecycle.Renewal.AddHours(1).AddDays(BillingNode.GraceDays), billing["graceEndsAt"]!.GetValue<DateTimeOffset>());
    }

    [Fact]
    public async Task Events_of_a_customer_not_yet_linked_wait_and_are_applied_once_checkout_links_it()
    {
        await using var node = await BillingNode.StartAsync(Lifecycle.T0);
        var life = await NewOrganisationAsync(node, "wait");
        var s = life.Stripe;
        // No org_id metadata: the subscription names only its customer, whom nobody knows yet.
        var created = s.Event("customer.subscription.created", Lifecycle.T0,
            s.Subscription("active", PriceOf(life.OrgId), Lifecycle.T0, Lifecycle.T0, Lifecycle.T0.AddMonths(1)));
        await node.DeliverAndProcessAsync(created);
        Assert.Equal("unmatched", (await node.StoredEventAsync(created["id"]!.GetValue<string>()))!.Status);
        Assert.Equal("starter", (await node.BillingAsync(life.OrgId))["plan"]!.GetValue<string>());

        await node.DeliverAndProcessAsync(s.Event("checkout.session.completed", Lifecycle.T0.AddSeconds(2), s.CheckoutSession(life.OrgId, Lifecycle.T0)));

        Assert.Equal("processed", (await node.StoredEventAsync(created["id"]!.GetValue<string>()))!.Status);
        var billing = await node.BillingAsync(life.OrgId);
        Assert.Equal(Pro, billing["plan"]!.GetValue<string>());
        Assert.Equal("active", billing["subscription"]!["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_price_no_plan_maps_leaves_the_plan_and_a_plan_change_in_stripe_moves_the_organisation()
    {
        await using var node = await BillingNode.StartAsync(Lifecycle.T0);
        var life = await NewOrganisationAsync(node, "plan");
        var s = life.Stripe;
        var enterprisePrice = $"price_ent_{life.OrgId.Replace("-", "")}";
        await node.MapPriceAsync("enterprise", enterprisePrice);

        await node.DeliverAndProcessAsync(s.Event("customer.subscription.created", Lifecycle.T0,
            s.Subscription("active", "price_nobody_knows", Lifecycle.T0, Lifecycle.T0, Lifecycle.T0.AddMonths(1), orgIdMetadata: life.OrgId)));
        Assert.Equal("starter", (await node.BillingAsync(life.OrgId))["plan"]!.GetValue<string>());

        await node.DeliverAndProcessAsync(s.Event("customer.subscription.updated", Lifecycle.T0.AddDays(1),
            s.Subscription("active", enterprisePrice, Lifecycle.T0, Lifecycle.T0, Lifecycle.T0.AddMonths(1), orgIdMetadata: life.OrgId)));
        var entitlements = await node.EntitlementsAsync(life.OrgId);
        Assert.Equal("enterprise", entitlements["plan"]!.GetValue<string>());
        Assert.True(entitlements["features"]!["sso"]!["enabled"]!.GetValue<bool>());
    }

    [Fact]
    public async Task A_price_maps_to_one_plan_only_and_a_plan_put_without_prices_keeps_them()
    {
        await using var node = await BillingNode.StartAsync(Lifecycle.T0);
        await node.MapPriceAsync(Pro, "price_shared_1");
        var plans = await node.Admin.GetJsonAsync("/v1/plans");
        var pro = plans["items"]!.AsArray().Single(p => p!["id"]!.GetValue<string>() == Pro)!;

        var taken = await node.Admin.PutAsync("/v1/plans/enterprise", TestApi.Json(new
        {
            name = "Enterprise", limits = new { ai_calls = 250_000, storage_bytes = 1_099_511_627_776, seats = 1000 },
            features = new[] { "sso" }, stripePriceIds = new[] { "price_shared_1" },
        }));
        await taken.AssertProblemAsync(HttpStatusCode.Conflict);

        // An older caller replaces the plan without the field: the mapping stays.
        var replaced = await node.Admin.PutAsync($"/v1/plans/{Pro}", TestApi.Json(new
        {
            name = "Pro (renamed)", limits = pro["limits"], features = pro["features"],
        }));
        Assert.Equal(HttpStatusCode.OK, replaced.StatusCode);
        Assert.Equal(["price_shared_1"], (await replaced.ReadJsonAsync())["stripePriceIds"]!.AsArray().Select(p => p!.GetValue<string>()));

        var bad = await node.Admin.PutAsync($"/v1/plans/{Pro}", TestApi.Json(new
        {
            name = "Pro", limits = pro["limits"], features = pro["features"], stripePriceIds = new[] { "price with spaces" },
        }));
        await bad.AssertProblemAsync(HttpStatusCode.BadRequest);
    }

    /// <summary>The id-free part of an organisation's final billing state, to compare organisations.</summary>
    private static async Task<JsonObject> FinalStateAsync(BillingNode node, string orgId)
    {
        var billing = await node.BillingAsync(orgId);
        var entitlements = await node.EntitlementsAsync(orgId);
        var check = await node.Admin.UsageAsync(orgId, "ai_calls", "check", 1);
        return new JsonObject
        {
            ["status"] = billing["status"]!.DeepClone(),
            ["plan"] = billing["plan"]!.DeepClone(),
            ["billingAnchor"] = billing["billingAnchor"]!.DeepClone(),
            ["restrictedFeatures"] = billing["restrictedFeatures"]!.DeepClone(),
            ["subscription"] = new JsonObject
            {
                ["status"] = billing["subscription"]!["status"]!.DeepClone(),
                ["cancelAtPeriodEnd"] = billing["subscription"]!["cancelAtPeriodEnd"]!.DeepClone(),
                ["currentPeriodEnd"] = billing["subscription"]!["currentPeriodEnd"]!.DeepClone(),
            },
            ["invoices"] = new JsonArray(billing["invoices"]!.AsArray().Select(i => (JsonNode)new JsonObject
            {
                ["settled"] = i!["settled"]?.DeepClone(), ["paidAt"] = i["paidAt"]?.DeepClone(), ["failedAt"] = i["failedAt"]?.DeepClone(),
                ["retriesExhaustedAt"] = i["retriesExhaustedAt"]?.DeepClone(),
            }).ToArray()),
            ["disputes"] = new JsonArray(billing["disputes"]!.AsArray().Select(d => d!["status"]!.DeepClone()).ToArray()),
            ["limits"] = entitlements["limits"]!.DeepClone(),
            ["features"] = entitlements["features"]!.DeepClone(),
            ["usage"] = check["reason"]!.DeepClone(),
        };
    }

    private static async Task AssertStateAsync(BillingNode node, string orgId, string status, string plan, string usage, string apiAccess, long aiLimit)
    {
        var entitlements = await node.EntitlementsAsync(orgId);
        var check = await node.Admin.UsageAsync(orgId, "ai_calls", "check", 1);
        var state = $"{entitlements["status"]}/{entitlements["plan"]}/{check["reason"]}/{entitlements["features"]!["api_access"]!["reason"]}/{entitlements["limits"]!["ai_calls"]!["limit"]}";
        Assert.Equal($"{status}/{plan}/{usage}/{apiAccess}/{aiLimit}", state);
        Assert.Equal(usage == "ok", check["allowed"]!.GetValue<bool>());
        Assert.Equal(apiAccess == "plan", entitlements["features"]!["api_access"]!["enabled"]!.GetValue<bool>());
    }
}

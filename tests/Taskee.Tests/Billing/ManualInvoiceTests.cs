using System.Net;
using System.Text.Json.Nodes;
using Taskee.Tests.Infrastructure;

namespace Taskee.Tests.Billing;

/// <summary>Manual invoices for enterprise deals, and who may see or change an organisation's billing.</summary>
public sealed class ManualInvoiceTests : IAsyncLifetime
{
    private FakeStripe _stripe = null!;
    private BillingNode _node = null!;

    public async Task InitializeAsync()
    {
        _stripe = await FakeStripe.StartAsync();
        _node = await BillingNode.StartAsync(Lifecycle.Renewal, _stripe);
    }

    public async Task DisposeAsync()
    {
        await _node.DisposeAsync();
        await _stripe.DisposeAsync();
    }

    private static object TwoLines => new
    {
        lines = new object[]
        {
            new { description = "Implementation, November", amount = 1_250_000, currency = "eur" },
            new { description = "SLA premium, Q4", amount = 300_000, currency = "EUR" },
        },
        daysUntilDue = 14,
    };

    private async Task<HttpResponseMessage> InvoiceAsync(string orgId, object body, string? idempotencyKey, HttpClient? client = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, $"/v1/organisations/{orgId}/billing/invoices") { Content = body is string json ? TestApi.Json(json) : TestApi.Json(body) };
        if (idempotencyKey is not null) request.Headers.Add("Idempotency-Key", idempotencyKey);
        return await (client ?? _node.Admin).SendAsync(request);
    }

    /// <summary>An organisation on its own custom plan, linked to a customer Stripe knows.</summary>
    private async Task<(string OrgId, string CustomerId)> EnterpriseDealAsync(string? customerAtStripe = null)
    {
        var orgId = TestApi.NewOrgId("deal");
        var planId = $"deal-{Guid.NewGuid():N}"[..20];
        var plan = await _node.Admin.PutAsync($"/v1/plans/{planId}", TestApi.Json(new
        {
            name = "Zorggroep deal", limits = new { ai_calls = 500_000, storage_bytes = 2_199_023_255_552, seats = 2500 }, features = new[] { "sso", "scim" },
        }));
        Assert.Equal(HttpStatusCode.Created, plan.StatusCode);
        await _node.Admin.CreateOrganisationAsync(orgId, planId);
        var customerId = customerAtStripe ?? $"cus_{orgId.Replace("-", "")}";
        if (customerAtStripe is null) _stripe.Put(new JsonObject { ["id"] = customerId, ["object"] = "customer" });
        Assert.Equal(HttpStatusCode.OK, (await _node.LinkAsync(orgId, customerId)).StatusCode);
        return (orgId, customerId);
    }

    private List<JsonObject> InvoicesOf(string customerId) => _stripe.All("invoice").Where(i => i["customer"]!.GetValue<string>() == customerId).ToList();

    [Fact]
    public async Task An_invoice_is_created_with_its_items_finalized_and_sent_and_a_repeat_with_the_same_key_replays()
    {
        var (orgId, customerId) = await EnterpriseDealAsync();

        var response = await InvoiceAsync(orgId, TwoLines, "deal-invoice-1");

        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        var invoice = await response.ReadJsonAsync();
        Assert.Equal(1_550_000, invoice["amountDue"]!.GetValue<long>());
        Assert.Equal("eur", invoice["currency"]!.GetValue<string>());
        Assert.Equal("open", invoice["status"]!.GetValue<string>());
        Assert.Equal(2, invoice["lines"]!.GetValue<int>());
        var atStripe = Assert.Single(InvoicesOf(customerId));
        Assert.Equal("send_invoice", atStripe["collection_method"]!.GetValue<string>());
        Assert.Equal(14, atStripe["days_until_due"]!.GetValue<int>());
        Assert.True(atStripe["sent"]!.GetValue<bool>());
        Assert.Equal(2, atStripe["lines"]!["data"]!.AsArray().Count);

        var posts = _stripe.Requests.Where(r => r.Method == "POST").ToList();
        Assert.All(posts, p => Assert.StartsWith("taskee-invoice-", p.IdempotencyKey));
        Assert.Equal(posts.Count, posts.Select(p => p.IdempotencyKey).Distinct().Count());

        var replay = await InvoiceAsync(orgId, TwoLines, "deal-invoice-1");
        Assert.Equal(HttpStatusCode.Created, replay.StatusCode);
        Assert.Equal("true", replay.Headers.GetValues("Idempotent-Replayed").Single());
        Assert.Equal(invoice["id"]!.GetValue<string>(), (await replay.ReadJsonAsync())["id"]!.GetValue<string>());
        Assert.Equal(posts.Count, _stripe.Requests.Count(r => r.Method == "POST"));
        Assert.Single(InvoicesOf(customerId));

        var billing = await _node.BillingAsync(orgId);
        Assert.Equal(invoice["id"]!.GetValue<string>(), billing["manualInvoices"]![0]!.GetValue<string>());
        var audit = (await _node.Admin.AuditEventsAsync(orgId)).Last();
        Assert.Equal("billing.invoice.sent", audit!["action"]!.GetValue<string>());
        Assert.Equal("apiKey", audit["actor"]!["kind"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_request_that_failed_half_way_is_retried_with_the_same_key_and_nothing_is_created_twice()
    {
        var (orgId, customerId) = await EnterpriseDealAsync();
        _stripe.FailNext(1, 429, "/v1/invoiceitems");
        _stripe.FailNext(4, 500, "/send");

        var failed = await InvoiceAsync(orgId, TwoLines, "deal-invoice-2");

        var problem = await failed.AssertProblemAsync(HttpStatusCode.BadGateway);
        Assert.Contains("same Idempotency-Key", problem["detail"]!.GetValue<string>());
        Assert.Equal("open", Assert.Single(InvoicesOf(customerId))["status"]!.GetValue<string>());

        var retried = await InvoiceAsync(orgId, TwoLines, "deal-invoice-2");

        Assert.Equal(HttpStatusCode.Created, retried.StatusCode);
        var sent = Assert.Single(InvoicesOf(customerId));
        Assert.True(sent["sent"]!.GetValue<bool>());
        Assert.Equal(2, sent["lines"]!["data"]!.AsArray().Count);
        Assert.Equal(1_550_000, sent["amount_due"]!.GetValue<long>());
    }

    [Fact]
    public async Task Only_an_organisation_on_a_custom_plan_that_is_linked_can_be_invoiced()
    {
        var proOrg = TestApi.NewOrgId("pro");
        await _node.Admin.CreateOrganisationAsync(proOrg, "pro");
        var notCustom = await InvoiceAsync(proOrg, TwoLines, null);
        Assert.Contains("not a custom plan", (await notCustom.AssertProblemAsync(HttpStatusCode.Conflict))["detail"]!.GetValue<string>());

        var unlinked = TestApi.NewOrgId("unlinked");
        var planId = $"deal-{Guid.NewGuid():N}"[..20];
        await _node.Admin.PutAsync($"/v1/plans/{planId}", TestApi.Json(new { name = "Deal", limits = new { ai_calls = 1, storage_bytes = 1, seats = 1 }, features = Array.Empty<string>() }));
        await _node.Admin.CreateOrganisationAsync(unlinked, planId);
        var notLinked = await InvoiceAsync(unlinked, TwoLines, null);
        Assert.Contains("PUT /v1/organisations", (await notLinked.AssertProblemAsync(HttpStatusCode.Conflict))["detail"]!.GetValue<string>());
    }

    [Fact]
    public async Task Stripe_refusing_the_invoice_is_a_422_with_stripes_reason()
    {
        var (orgId, _) = await EnterpriseDealAsync(customerAtStripe: "cus_NeverHeardOf");

        var response = await InvoiceAsync(orgId, TwoLines, "deal-invoice-3");

        var problem = await response.AssertProblemAsync(HttpStatusCode.UnprocessableEntity);
        Assert.Contains("resource_missing", problem["detail"]!.GetValue<string>());
        Assert.Contains("cus_NeverHeardOf", problem["detail"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("""{"lines":[],"daysUntilDue":30}""", "lines")]
    [InlineData("""{"lines":[{"description":"x","amount":100,"currency":"eur"},{"description":"y","amount":100,"currency":"usd"}]}""", "lines")]
    [InlineData("""{"lines":[{"description":"","amount":100,"currency":"eur"}]}""", "lines[0].description")]
    [InlineData("""{"lines":[{"description":"x","amount":0,"currency":"eur"}]}""", "lines[0].amount")]
    [InlineData("""{"lines":[{"description":"x","amount":100,"currency":"euro"}]}""", "lines[0].currency")]
    [InlineData("""{"lines":[{"description":"x","amount":100,"currency":"eur"}],"daysUntilDue":0}""", "daysUntilDue")]
    public async Task A_bad_invoice_request_is_a_400_naming_the_field(string body, string field)
    {
        var (orgId, customerId) = await EnterpriseDealAsync();

        var response = await InvoiceAsync(orgId, body, null);

        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.True(problem["errors"]?[field] is not null, problem.ToJsonString());
        Assert.Empty(InvoicesOf(customerId));
    }

    [Fact]
    public async Task A_customer_links_to_one_organisation_only()
    {
        var (_, customerId) = await EnterpriseDealAsync();
        var other = TestApi.NewOrgId("other");
        await _node.Admin.CreateOrganisationAsync(other, "pro");

        await (await _node.LinkAsync(other, customerId)).AssertProblemAsync(HttpStatusCode.Conflict);
        var bad = await _node.Admin.PutAsync($"/v1/organisations/{other}/billing", TestApi.Json(new { stripeCustomerId = "acct_123" }));
        await bad.AssertProblemAsync(HttpStatusCode.BadRequest);
        await (await _node.LinkAsync("no-such-organisation", "cus_fresh")).AssertProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task An_organisations_key_reads_its_own_billing_may_not_change_it_and_gets_404_on_another_organisation()
    {
        var (a, _) = await EnterpriseDealAsync();
        var (b, _) = await EnterpriseDealAsync();
        var keyOfA = _node.Node.Client(await _node.Admin.CreateKeyAsync(a, "admin"));
        var bBefore = await _node.Admin.GetStringAsync($"/v1/organisations/{b}/billing");
        var auditBefore = (await _node.Admin.AuditEventsAsync(b)).Count;

        Assert.Equal(HttpStatusCode.OK, (await keyOfA.GetAsync($"/v1/organisations/{a}/billing")).StatusCode);
        await (await keyOfA.PutAsync($"/v1/organisations/{a}/billing", TestApi.Json(new { stripeCustomerId = "cus_mine" }))).AssertProblemAsync(HttpStatusCode.Forbidden);
        await (await InvoiceAsync(a, TwoLines, null, keyOfA)).AssertProblemAsync(HttpStatusCode.Forbidden);

        await (await keyOfA.GetAsync($"/v1/organisations/{b}/billing")).AssertProblemAsync(HttpStatusCode.NotFound);
        await (await keyOfA.PutAsync($"/v1/organisations/{b}/billing", TestApi.Json(new { stripeCustomerId = "cus_hijack" }))).AssertProblemAsync(HttpStatusCode.NotFound);
        await (await InvoiceAsync(b, TwoLines, null, keyOfA)).AssertProblemAsync(HttpStatusCode.NotFound);

        Assert.Equal(bBefore, await _node.Admin.GetStringAsync($"/v1/organisations/{b}/billing"));
        Assert.Equal(auditBefore, (await _node.Admin.AuditEventsAsync(b)).Count);
    }
}

using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Stripe;
using Taskee.Api.Billing.Reconciliation;
using Taskee.Api.Billing.Stripe;
using Taskee.Grains.Storage;
using Taskee.Silo.Commands;
using Taskee.Tests.Infrastructure;

namespace Taskee.Tests.Billing;

/// <summary>Stripe.net's client as the node configures it, reconciliation and reads from Stripe, against a fake Stripe API on loopback.</summary>
public sealed class StripeApiTests : IAsyncLifetime
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

    private StripeApi Api => _node.Service<StripeApi>();

    [Fact]
    public async Task A_post_answered_429_lock_timeout_then_500_is_retried_with_the_same_idempotency_key_and_the_librarys_api_version()
    {
        _stripe.Put(new JsonObject { ["id"] = "cus_retry", ["object"] = "customer" });
        _stripe.FailNext(1, 429, "/v1/invoices");
        _stripe.FailNext(1, 500, "/v1/invoices");

        var invoice = await Api.Invoices.CreateAsync(new InvoiceCreateOptions { Customer = "cus_retry", CollectionMethod = "send_invoice" },
            new RequestOptions { IdempotencyKey = "key-retry-1" });

        Assert.StartsWith("in_fake_", invoice.Id);
        var calls = _stripe.RequestsTo("/v1/invoices");
        Assert.Equal(3, calls.Count);
        Assert.All(calls, c => Assert.Equal("key-retry-1", c.IdempotencyKey));
        Assert.All(calls, c => Assert.Equal("send_invoice", c.Form["collection_method"]));
        Assert.All(calls, c => Assert.Equal(StripeConfiguration.ApiVersion, c.StripeVersion));
        Assert.Single(_stripe.All("invoice"));
    }

    [Fact]
    public async Task Retries_end_after_the_configured_number_with_stripes_error()
    {
        _stripe.FailNext(10, 500, "/v1/subscriptions/sub_flaky");

        var error = await Assert.ThrowsAsync<StripeException>(() => Api.Subscriptions.GetAsync("sub_flaky"));

        Assert.Equal(HttpStatusCode.InternalServerError, error.HttpStatusCode);
        Assert.Equal("api_error", error.StripeError.Type);
        Assert.True(StripeFailures.IsTransient(error, default));
        Assert.Equal(4, _stripe.RequestsTo("/v1/subscriptions/sub_flaky").Count); // the first try and 3 retries
    }

    [Fact]
    public async Task A_request_stripe_refuses_is_not_retried_and_carries_stripes_error()
    {
        var error = await Assert.ThrowsAsync<StripeException>(() => Api.Subscriptions.GetAsync("sub_nowhere"));

        Assert.Equal(HttpStatusCode.NotFound, error.HttpStatusCode);
        Assert.Equal("invalid_request_error", error.StripeError.Type);
        Assert.Equal("resource_missing", error.StripeError.Code);
        Assert.Contains("sub_nowhere", error.StripeError.Message);
        Assert.NotNull(error.StripeResponse?.RequestId);
        Assert.False(StripeFailures.IsTransient(error, default));
        Assert.True(error.IsNotFound());
        Assert.Single(_stripe.RequestsTo("/v1/subscriptions/sub_nowhere"));
    }

    [Fact]
    public async Task A_stripe_that_cannot_be_reached_is_a_connection_error_after_the_retries()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var closedPort = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        var services = new ServiceCollection();
        services.AddHttpClient(StripeApi.HttpClientName);
        await using var provider = services.BuildServiceProvider();
        var api = new StripeApi(provider.GetRequiredService<IHttpClientFactory>(),
            Options.Create(new StripeOptions { ApiKey = FakeStripe.ApiKey, BaseUrl = $"http://127.0.0.1:{closedPort}", MaxRetries = 1 }));

        var error = await Assert.ThrowsAnyAsync<Exception>(() => api.Invoices.CreateAsync(new InvoiceCreateOptions { Customer = "cus_x" },
            new RequestOptions { IdempotencyKey = "key-unreachable" }));

        Assert.True(StripeFailures.IsStripeFailure(error, default));
        Assert.True(StripeFailures.IsTransient(error, default));
        Assert.StartsWith("api_connection_error", StripeFailures.Describe(error));
    }

    [Fact]
    public async Task Linking_reads_the_subscription_and_reconciliation_corrects_drift_once_with_an_audit_event()
    {
        var (orgId, customer, subscription) = await LinkedOrganisationAsync("drift", "active");
        var linked = await _node.BillingAsync(orgId);
        Assert.Equal("pro", linked["plan"]!.GetValue<string>());
        Assert.Equal(subscription["id"]!.GetValue<string>(), linked["subscription"]!["id"]!.GetValue<string>());

        // Drift: the subscription moved to past_due on the enterprise price, and no webhook told us.
        subscription["status"] = "past_due";
        subscription["items"]!["data"]![0]!["price"]!["id"] = "price_drift_enterprise";
        _stripe.Put(subscription);
        await _node.MapPriceAsync("enterprise", "price_drift_enterprise");
        _stripe.FailNext(1, 429, "/v1/subscriptions");
        _stripe.FailNext(1, 500, "/v1/subscriptions");

        var summary = await _node.Service<BillingReconciler>().ReconcileAllAsync();

        Assert.Equal(0, summary.Failed);
        Assert.True(summary.Corrected >= 1);
        var corrected = await _node.BillingAsync(orgId);
        Assert.Equal("past_due", corrected["status"]!.GetValue<string>());
        Assert.Equal("enterprise", corrected["plan"]!.GetValue<string>());
        var reconciled = (await _node.Admin.AuditEventsAsync(orgId)).Last(e => e!["action"]!.GetValue<string>() == "billing.reconciled")!;
        Assert.Equal("stripe", reconciled["actor"]!["kind"]!.GetValue<string>());
        Assert.Equal(summary.RunId, reconciled["actor"]!["id"]!.GetValue<string>());
        Assert.Equal("active", reconciled["before"]!["status"]!.GetValue<string>());
        Assert.Equal("past_due", reconciled["after"]!["status"]!.GetValue<string>());

        // Nothing drifted since: nothing corrected, nothing audited.
        var auditCount = (await _node.Admin.AuditEventsAsync(orgId)).Count;
        _node.Clock.Set(_node.Clock.GetUtcNow().AddHours(1));
        var again = await _node.Service<BillingReconciler>().ReconcileAllAsync();
        Assert.Equal(0, again.Corrected);
        Assert.Equal(auditCount, (await _node.Admin.AuditEventsAsync(orgId)).Count);
        Assert.Contains(customer, _stripe.RequestsTo("/v1/subscriptions").Last().Query);
    }

    [Fact]
    public async Task With_an_api_key_a_webhook_acts_on_the_object_as_stripe_holds_it_now()
    {
        var (orgId, _, subscription) = await LinkedOrganisationAsync("reread", "active");
        var payloads = new StripePayloads("reread");
        // Stripe has cancelled it since; the event's copy, delivered late, still says active.
        var stale = (JsonObject)subscription.DeepClone();
        subscription["status"] = "canceled";
        subscription["ended_at"] = StripePayloads.Unix(Lifecycle.Renewal.AddDays(1));
        _stripe.Put(subscription);
        _node.Clock.Set(Lifecycle.Renewal.AddDays(2));

        await _node.DeliverAndProcessAsync(payloads.Event("customer.subscription.updated", Lifecycle.Renewal.AddHours(1), stale));

        var billing = await _node.BillingAsync(orgId);
        Assert.Equal("cancelled", billing["status"]!.GetValue<string>());
        Assert.Equal("starter", billing["plan"]!.GetValue<string>());
        Assert.NotEmpty(_stripe.RequestsTo($"/v1/subscriptions/{subscription["id"]}"));
    }

    [Fact]
    public async Task With_an_api_key_a_dispute_is_placed_through_its_charge()
    {
        var (orgId, customer, _) = await LinkedOrganisationAsync("charge", "active");
        var payloads = new StripePayloads("charge");
        _stripe.Put(new JsonObject { ["id"] = "ch_charge_9", ["object"] = "charge", ["customer"] = customer, ["amount"] = 4900 });
        var dispute = payloads.Dispute("dp_charge_9", "ch_charge_9", "needs_response", Lifecycle.Renewal);
        _stripe.Put(dispute);

        await _node.DeliverAndProcessAsync(payloads.Event("charge.dispute.created", Lifecycle.Renewal, dispute));

        var billing = await _node.BillingAsync(orgId);
        Assert.Equal(["advanced_reports", "api_access"], billing["restrictedFeatures"]!.AsArray().Select(f => f!.GetValue<string>()));
        Assert.Single(_stripe.RequestsTo("/v1/charges/ch_charge_9"));
    }

    [Fact]
    public async Task The_reconcile_billing_command_corrects_drift_and_reports_progress()
    {
        var (orgId, _, subscription) = await LinkedOrganisationAsync("command", "active");
        subscription["status"] = "unpaid";
        _stripe.Put(subscription);

        var output = new StringWriter();
        var original = Console.Out;
        int exit;
        Console.SetOut(output);
        try
        {
            exit = await SiloCommands.Find("reconcile-billing")!([
                $"--Storage:Provider={_node.Node.Database.Provider}",
                $"--Storage:ConnectionString={_node.Node.Database.ConnectionString}",
                $"--Billing:Stripe:ApiKey={FakeStripe.ApiKey}",
                $"--Billing:Stripe:BaseUrl={_stripe.Url}",
                $"--Orleans:GatewayPort={_node.Node.Setting("Orleans:GatewayPort")}",
            ]);
        }
        finally
        {
            Console.SetOut(original);
        }

        Assert.True(exit == 0, output.ToString());
        Assert.Matches(@"\d+/\d+ organisations checked", output.ToString());
        Assert.Matches(@"Done \(reconcile-[0-9TZ]+\): \d+ organisations checked, [1-9]\d* corrected, 0 failed", output.ToString());
        var stored = await _node.Service<IOrganisationStore>().GetAsync(orgId);
        Assert.Equal("unpaid", stored!.Billing!.Subscription!.Status);
        Assert.Equal("grace", stored.Status);
    }

    /// <summary>An organisation on starter, a Stripe customer with a subscription on a price mapped to pro, linked with PUT.</summary>
    private async Task<(string OrgId, string CustomerId, JsonObject Subscription)> LinkedOrganisationAsync(string prefix, string status)
    {
        var orgId = TestApi.NewOrgId(prefix);
        var unique = orgId.Replace("-", "");
        var payloads = new StripePayloads(unique);
        var price = $"price_{unique}";
        await _node.Admin.CreateOrganisationAsync(orgId, "starter");
        await _node.MapPriceAsync("pro", price);
        _stripe.Put(payloads.Customer(Lifecycle.T0));
        var subscription = payloads.Subscription(status, price, Lifecycle.T0, Lifecycle.Renewal, Lifecycle.PeriodEnd);
        _stripe.Put(subscription);

        var response = await _node.LinkAsync(orgId, payloads.CustomerId);
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        return (orgId, payloads.CustomerId, subscription);
    }
}

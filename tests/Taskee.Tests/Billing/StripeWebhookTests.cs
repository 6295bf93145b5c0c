using System.Net;
using System.Text.Json.Nodes;
using Taskee.Tests.Infrastructure;

namespace Taskee.Tests.Billing;

/// <summary>POST /webhooks/stripe over HTTP: refused deliveries change nothing; accepted ones are stored once and acknowledged.</summary>
public sealed class StripeWebhookTests : IAsyncLifetime
{
    private BillingNode _node = null!;
    private Lifecycle _life = null!;

    public async Task InitializeAsync()
    {
        _node = await BillingNode.StartAsync(Lifecycle.T0);
        _life = new Lifecycle(TestApi.NewOrgId("hook"), "price_hook_pro");
        await _node.Admin.CreateOrganisationAsync(_life.OrgId, "starter");
        await _node.MapPriceAsync("pro", "price_hook_pro");
    }

    public async Task DisposeAsync() => await _node.DisposeAsync();

    private JsonObject SubscriptionCreated() => _life.Stripe.Event("customer.subscription.created", Lifecycle.T0,
        _life.Stripe.Subscription("active", "price_hook_pro", Lifecycle.T0, Lifecycle.T0, Lifecycle.T0.AddMonths(1), orgIdMetadata: _life.OrgId),
        id: $"evt_{Guid.NewGuid():N}");

    public static TheoryData<string> Refusals => ["tampered body", "wrong secret", "stale timestamp", "future timestamp", "missing header", "malformed header", "not an event"];

    [Theory]
    [MemberData(nameof(Refusals))]
    public async Task A_bad_delivery_is_a_400_problem_and_nothing_is_stored_or_changed(string refusal)
    {
        var evt = SubscriptionCreated();
        var body = evt.ToJsonString();
        var now = _node.Clock.GetUtcNow();
        var (sentBody, signature) = refusal switch
        {
            "tampered body" => (body.Replace("\"active\"", "\"trialing\""), StripeSigner.Sign(body, now)),
            "wrong secret" => (body, StripeSigner.Sign(body, now, "whsec_not_ours_at_all")),
            "stale timestamp" => (body, StripeSigner.Sign(body, now.AddSeconds(-301))),
            "future timestamp" => (body, StripeSigner.Sign(body, now.AddSeconds(301))),
            "missing header" => (body, (string?)null),
            "malformed header" => (body, "v1=" + StripeSigner.V1(StripeSigner.Secret, now.ToUnixTimeSeconds(), body)),
            _ => ("""{"hello":"world"}""", StripeSigner.Sign("""{"hello":"world"}""", now)),
        };

        var response = await _node.PostWebhookAsync(sentBody, signature);

        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.Contains("Nothing was stored", problem["detail"]!.GetValue<string>());
        await _node.ProcessAsync();
        Assert.Null(await _node.StoredEventAsync(evt["id"]!.GetValue<string>()));
        var billing = await _node.BillingAsync(_life.OrgId);
        Assert.Equal("starter", billing["plan"]!.GetValue<string>());
        Assert.Null(billing["stripeCustomerId"]?.GetValue<string>());
    }

    [Fact]
    public async Task A_delivery_signed_with_the_previous_secret_during_a_rotation_is_accepted()
    {
        var evt = SubscriptionCreated();
        var response = await _node.DeliverAsync(evt, StripeSigner.PreviousSecret);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        await _node.ProcessAsync();
        Assert.Equal("pro", (await _node.BillingAsync(_life.OrgId))["plan"]!.GetValue<string>());
    }

    [Fact]
    public async Task An_event_of_an_api_version_other_than_the_librarys_is_accepted_and_applied()
    {
        var evt = _life.Stripe.Event("customer.subscription.created", Lifecycle.T0,
            _life.Stripe.Subscription("active", "price_hook_pro", Lifecycle.T0, Lifecycle.T0, Lifecycle.T0.AddMonths(1), orgIdMetadata: _life.OrgId),
            id: $"evt_{Guid.NewGuid():N}", apiVersion: "2019-02-19");

        var response = await _node.DeliverAsync(evt);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        await _node.ProcessAsync();
        Assert.Equal("processed", (await _node.StoredEventAsync(evt["id"]!.GetValue<string>()))!.Status);
        var billing = await _node.BillingAsync(_life.OrgId);
        Assert.Equal("pro", billing["plan"]!.GetValue<string>());
        Assert.Equal("active", billing["status"]!.GetValue<string>());
        Assert.Equal(Lifecycle.T0.AddMonths(1), billing["subscription"]!["currentPeriodEnd"]!.GetValue<DateTimeOffset>());
    }

    [Fact]
    public async Task A_header_with_a_signature_per_secret_is_accepted()
    {
        var body = SubscriptionCreated().ToJsonString();
        var t = _node.Clock.GetUtcNow().ToUnixTimeSeconds();
        var header = StripeSigner.Header(t, StripeSigner.V1("whsec_retired_long_ago", t, body), StripeSigner.V1(StripeSigner.Secret, t, body));
        Assert.Equal(HttpStatusCode.OK, (await _node.PostWebhookAsync(body, header)).StatusCode);
    }

    [Fact]
    public async Task An_accepted_event_is_stored_before_the_answer_and_a_second_delivery_is_a_duplicate()
    {
        var evt = SubscriptionCreated();
        var id = evt["id"]!.GetValue<string>();

        var first = await _node.DeliverAsync(evt);
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        var ack = await first.ReadJsonAsync();
        Assert.True(ack["received"]!.GetValue<bool>());
        Assert.False(ack["duplicate"]!.GetValue<bool>());
        Assert.NotNull(await _node.StoredEventAsync(id));

        var second = await (await _node.DeliverAsync(evt)).ReadJsonAsync();
        Assert.True(second["duplicate"]!.GetValue<bool>());
        Assert.Equal(id, second["eventId"]!.GetValue<string>());

        await _node.ProcessAsync();
        var stored = await _node.StoredEventAsync(id);
        Assert.Equal("processed", stored!.Status);
        Assert.Equal(_life.OrgId, stored.OrgId);
    }

    [Fact]
    public async Task An_event_type_billing_does_not_handle_is_acknowledged_and_recorded_as_ignored()
    {
        var evt = _life.Stripe.Event("payment_method.attached", Lifecycle.T0,
            new JsonObject { ["id"] = "pm_123", ["object"] = "payment_method", ["customer"] = _life.Stripe.CustomerId }, id: $"evt_{Guid.NewGuid():N}");
        var auditBefore = (await _node.Admin.AuditEventsAsync(_life.OrgId)).Count;

        var response = await _node.DeliverAsync(evt);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("ignored", (await response.ReadJsonAsync())["status"]!.GetValue<string>());
        await _node.ProcessAsync();
        var stored = await _node.StoredEventAsync(evt["id"]!.GetValue<string>());
        Assert.Equal("ignored", stored!.Status);
        Assert.Contains("payment_method.attached", stored.Detail);
        Assert.Equal(auditBefore, (await _node.Admin.AuditEventsAsync(_life.OrgId)).Count);
    }

    [Fact]
    public async Task The_route_needs_no_api_key_and_ignores_one()
    {
        var body = SubscriptionCreated().ToJsonString();
        using var client = _node.Node.Client("tk_bogus_0000");
        var request = new HttpRequestMessage(HttpMethod.Post, "/webhooks/stripe") { Content = TestApi.Json(body) };
        request.Headers.TryAddWithoutValidation("Stripe-Signature", StripeSigner.Sign(body, _node.Clock.GetUtcNow()));
        Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(request)).StatusCode);
    }
}

/// <summary>A node without webhook secrets cannot verify anything, so it stores nothing.</summary>
public sealed class UnconfiguredWebhookTests(NodeFixture fixture) : IClassFixture<NodeFixture>
{
    [Fact]
    public async Task Without_webhook_secrets_a_delivery_is_503_and_nothing_is_stored()
    {
        using var client = fixture.Node.Client(apiKey: null);
        var body = """{"id":"evt_unconfigured","object":"event","type":"invoice.paid","created":1772442000,"data":{"object":{"id":"in_1"}}}""";
        var request = new HttpRequestMessage(HttpMethod.Post, "/webhooks/stripe") { Content = TestApi.Json(body) };
        request.Headers.TryAddWithoutValidation("Stripe-Signature", StripeSigner.Sign(body, DateTimeOffset.UtcNow));

        var response = await client.SendAsync(request);

        await response.AssertProblemAsync(HttpStatusCode.ServiceUnavailable);
    }
}

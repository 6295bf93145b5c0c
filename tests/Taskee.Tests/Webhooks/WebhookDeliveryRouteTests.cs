using System.Net;
using System.Text.Json.Nodes;
using Taskee.Tests.Infrastructure;

namespace Taskee.Tests.Webhooks;

/// <summary>
/// The delivery routes as an organisation's admin calls them: a test message, the attempts, a redelivery and a replay,
/// each against a real receiver that verifies the signatures; and that no other organisation reaches them.
/// </summary>
public sealed class WebhookDeliveryRouteTests(WebhookDeliveryNodeFixture fixture) : IClassFixture<WebhookDeliveryNodeFixture>
{
    private readonly HttpClient _admin = fixture.Node.Admin();

    private sealed record Subscription(string OrgId, WebhookReceiver Receiver, string WebhookId, string Secret) : IAsyncDisposable
    {
        public string Path => $"{WebhookApi.Webhooks(OrgId)}/{WebhookId}";

        public ValueTask DisposeAsync() => Receiver.DisposeAsync();
    }

    /// <summary>An organisation with an endpoint made through the management API, pointing at a fresh receiver.</summary>
    private async Task<Subscription> SubscribeAsync(params string[] events)
    {
        var orgId = TestApi.NewOrgId("whd");
        await _admin.CreateOrganisationAsync(orgId);
        var receiver = await WebhookReceiver.StartAsync();
        var created = await _admin.CreateWebhookAsync(orgId, new { url = receiver.Url, events = events.Length == 0 ? ["*"] : events });
        var secret = created["secret"]!.GetValue<string>();
        receiver.Trust(secret);
        return new Subscription(orgId, receiver, created.Id(), secret);
    }

    private async Task<List<JsonNode>> DeliveriesAsync(Subscription s, string query = "") =>
        (await _admin.GetJsonAsync($"{s.Path}/deliveries{query}"))["items"]!.AsArray().Select(d => d!).ToList();

    [Fact]
    public async Task A_test_message_arrives_signed_as_webhook_test_and_its_attempt_is_listed()
    {
        await using var s = await SubscribeAsync("org.limit.set");

        var response = await _admin.PostAsync($"{s.Path}/test", null);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var attempt = await response.ReadJsonAsync();

        var received = Assert.Single(s.Receiver.Accepted, r => r.Type == "webhook.test");
        Assert.True(received.SignaturesVerified(s.Secret), received.Signature);
        Assert.Equal(received.Id, attempt["messageId"]!.GetValue<string>());
        Assert.Equal("webhook.test", attempt["eventType"]!.GetValue<string>());
        Assert.Equal(200, attempt["statusCode"]!.GetValue<int>());
        Assert.Equal("thanks", attempt["responseExcerpt"]!.GetValue<string>());
        var listed = (await DeliveriesAsync(s)).Single(d => d["id"]!.GetValue<string>() == attempt["id"]!.GetValue<string>());
        Assert.Equal(attempt["messageId"]!.GetValue<string>(), listed["messageId"]!.GetValue<string>());
        Assert.Equal("test", listed["trigger"]!.GetValue<string>());
        Assert.Null(listed["eventSeq"]);
        Assert.Contains(await _admin.AuditEventsAsync(s.OrgId), e => e["action"]!.GetValue<string>() == "webhook.tested");
    }

    [Fact]
    public async Task Deliveries_page_newest_first_by_after_and_refuse_a_bad_limit_or_cursor()
    {
        await using var s = await SubscribeAsync("org.limit.set");
        for (var limit = 1; limit <= 3; limit++) await _admin.SetLimitAsync(s.OrgId, "ai_calls", limit);
        await TestWebhooks.EventuallyAsync(() => s.Receiver.Accepted.Count == 3, "three deliveries");
        await TestWebhooks.EventuallyAsync(async () => (await DeliveriesAsync(s)).Count == 3, "three attempts recorded");

        var first = await _admin.GetJsonAsync($"{s.Path}/deliveries?limit=2");
        var firstItems = first["items"]!.AsArray();
        Assert.Equal(2, firstItems.Count);
        var next = first["next"]!.GetValue<string>();
        var second = await _admin.GetJsonAsync($"{s.Path}/deliveries?limit=2&after={next}");
        var rest = Assert.Single(second["items"]!.AsArray());
        Assert.Null(second["next"]);

        var seqs = firstItems.Append(rest).Select(d => d!["eventSeq"]!.GetValue<long>()).ToList();
        Assert.Equal(seqs.OrderDescending(), seqs);
        Assert.Equal(s.Receiver.Accepted.Select(r => r.Seq).OrderDescending(), seqs);
        Assert.All(firstItems.Append(rest), d =>
        {
            Assert.Equal("org.limit.set", d!["eventType"]!.GetValue<string>());
            Assert.Equal(1, d["attempt"]!.GetValue<int>());
            Assert.True(d["latencyMs"]!.GetValue<long>() >= 0);
        });

        foreach (var bad in new[] { "?limit=0", "?limit=101", "?limit=abc", "?after=nonsense" })
            await (await _admin.GetAsync($"{s.Path}/deliveries{bad}")).AssertProblemAsync(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Redeliver_sends_the_same_message_again_under_the_same_webhook_id()
    {
        await using var s = await SubscribeAsync("org.limit.set");
        await _admin.SetLimitAsync(s.OrgId, "ai_calls", 5);
        await TestWebhooks.EventuallyAsync(() => s.Receiver.Accepted.Count == 1, "the delivery");
        await TestWebhooks.EventuallyAsync(async () => (await DeliveriesAsync(s)).Count == 1, "its attempt recorded");
        var delivery = (await DeliveriesAsync(s)).Single();

        var response = await _admin.PostAsync($"{s.Path}/deliveries/{delivery["id"]!.GetValue<string>()}/redeliver", null);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("redeliver", (await response.ReadJsonAsync())["trigger"]!.GetValue<string>());

        Assert.Equal(2, s.Receiver.Accepted.Count);
        var (original, again) = (s.Receiver.Accepted[0], s.Receiver.Accepted[1]);
        Assert.Equal(original.Id, again.Id);
        Assert.Equal(original.Body, again.Body);
        Assert.True(again.SignaturesVerified(s.Secret), again.Signature);
        Assert.Contains(await _admin.AuditEventsAsync(s.OrgId), e => e["action"]!.GetValue<string>() == "webhook.redelivered");

        await (await _admin.PostAsync($"{s.Path}/deliveries/whd_nosuchdelivery/redeliver", null)).AssertProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Replay_resends_every_matching_event_since_from_in_log_order_with_the_original_ids()
    {
        await using var s = await SubscribeAsync("org.limit.set");
        await _admin.SetLimitAsync(s.OrgId, "ai_calls", 1);
        fixture.Clock.Set(fixture.Clock.GetUtcNow().AddSeconds(10));
        var from = fixture.Clock.GetUtcNow();
        fixture.Clock.Set(from.AddSeconds(1));
        await _admin.SetLimitAsync(s.OrgId, "ai_calls", 2);
        await _admin.CreateKeyAsync(s.OrgId, "admin"); // not selected: never sent
        await _admin.SetLimitAsync(s.OrgId, "ai_calls", 3);
        await TestWebhooks.EventuallyAsync(() => s.Receiver.Accepted.Count == 3, "the three limit changes");
        var sinceFrom = s.Receiver.Accepted.Skip(1).ToList();

        var response = await _admin.PostAsync($"{s.Path}/replay", TestApi.Json(new { from }));
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);

        await TestWebhooks.EventuallyAsync(() => s.Receiver.Accepted.Count == 5, "the two replayed messages");
        var replayed = s.Receiver.Accepted.Skip(3).ToList();
        Assert.Equal(sinceFrom.Select(r => r.Id), replayed.Select(r => r.Id));
        Assert.Equal(sinceFrom.Select(r => r.Body), replayed.Select(r => r.Body));
        Assert.All(replayed, r => Assert.Equal("org.limit.set", r.Type));
        Assert.Contains(await _admin.AuditEventsAsync(s.OrgId), e => e["action"]!.GetValue<string>() == "webhook.replayed");

        var future = await _admin.PostAsync($"{s.Path}/replay", TestApi.Json(new { from = fixture.Clock.GetUtcNow().AddHours(1) }));
        Assert.Contains("future", (await future.AssertProblemAsync(HttpStatusCode.BadRequest)).ToJsonString());
        await (await _admin.PostAsync($"{s.Path}/replay", TestApi.Json(new { }))).AssertProblemAsync(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Another_organisations_admin_reaches_none_of_the_delivery_routes_and_nothing_is_sent()
    {
        await using var s = await SubscribeAsync("org.limit.set");
        await _admin.SetLimitAsync(s.OrgId, "ai_calls", 9);
        await TestWebhooks.EventuallyAsync(async () => (await DeliveriesAsync(s)).Count == 1, "a delivery of A");
        var deliveryId = (await DeliveriesAsync(s)).Single()["id"]!.GetValue<string>();
        var other = TestApi.NewOrgId("whd");
        await _admin.CreateOrganisationAsync(other);
        var intruder = fixture.Node.Client(await _admin.CreateKeyAsync(other, "admin"));
        var sent = s.Receiver.Received.Count;

        foreach (var (method, path, body) in new (string, string, object?)[]
        {
            ("POST", $"{s.Path}/test", null),
            ("GET", $"{s.Path}/deliveries", null),
            ("POST", $"{s.Path}/deliveries/{deliveryId}/redeliver", null),
            ("POST", $"{s.Path}/replay", new { from = DateTimeOffset.UnixEpoch }),
            // B's own organisation in the path, A's endpoint: still not B's.
            ("POST", $"{WebhookApi.Webhooks(other)}/{s.WebhookId}/test", null),
            ("GET", $"{WebhookApi.Webhooks(other)}/{s.WebhookId}/deliveries", null),
            ("POST", $"{WebhookApi.Webhooks(other)}/{s.WebhookId}/deliveries/{deliveryId}/redeliver", null),
            ("POST", $"{WebhookApi.Webhooks(other)}/{s.WebhookId}/replay", new { from = DateTimeOffset.UnixEpoch }),
        })
        {
            var request = new HttpRequestMessage(new HttpMethod(method), path) { Content = body is null ? null : TestApi.Json(body) };
            await (await intruder.SendAsync(request)).AssertProblemAsync(HttpStatusCode.NotFound);
        }

        Assert.Equal(sent, s.Receiver.Received.Count);
        Assert.Single(await DeliveriesAsync(s));
    }

    [Fact]
    public async Task An_organisation_without_api_access_gets_a_403_naming_the_feature_on_every_delivery_route()
    {
        await using var s = await SubscribeAsync("org.limit.set");
        Assert.Equal(HttpStatusCode.OK, (await _admin.PatchAsync($"/v1/organisations/{s.OrgId}", TestApi.Json(new { plan = "starter" }))).StatusCode);
        var sent = s.Receiver.Received.Count;

        foreach (var (method, path, body) in new (string, string, object?)[]
        {
            ("POST", $"{s.Path}/test", null),
            ("GET", $"{s.Path}/deliveries", null),
            ("POST", $"{s.Path}/replay", new { from = DateTimeOffset.UnixEpoch }),
        })
        {
            var request = new HttpRequestMessage(new HttpMethod(method), path) { Content = body is null ? null : TestApi.Json(body) };
            var problem = await (await _admin.SendAsync(request)).AssertProblemAsync(HttpStatusCode.Forbidden);
            Assert.Contains("'api_access'", problem["detail"]!.GetValue<string>());
        }
        Assert.Equal(sent, s.Receiver.Received.Count);
    }
}

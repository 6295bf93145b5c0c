using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Taskee.Api.Billing.Processing;
using Taskee.Grains.Storage;
using Taskee.Tests.Infrastructure;

namespace Taskee.Tests.Billing;

/// <summary>A node with billing configured (two webhook secrets; optionally a fake Stripe API), on its own database.</summary>
public sealed class BillingNode : IAsyncDisposable
{
    public const int GraceDays = 7;

    private readonly TestDatabase _database;

    private BillingNode(TestDatabase database, TaskeeNode node, ManualClock clock)
    {
        _database = database;
        Node = node;
        Clock = clock;
        Admin = node.Admin();
    }

    public TaskeeNode Node { get; }
    public ManualClock Clock { get; }
    public HttpClient Admin { get; }

    public static async Task<BillingNode> StartAsync(DateTimeOffset now, FakeStripe? stripe = null, IDictionary<string, string?>? settings = null)
    {
        var database = await TestDatabase.CreateAsync();
        var clock = new ManualClock(now);
        var all = new Dictionary<string, string?>
        {
            ["Billing:Stripe:WebhookSecrets:0"] = StripeSigner.Secret,
            ["Billing:Stripe:WebhookSecrets:1"] = StripeSigner.PreviousSecret,
            ["Billing:GraceDays"] = GraceDays.ToString(),
        };
        if (stripe is not null)
        {
            all["Billing:Stripe:ApiKey"] = FakeStripe.ApiKey;
            all["Billing:Stripe:BaseUrl"] = stripe.Url;
        }
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>()) all[key] = value;
        var node = await new TaskeeNode(database, all, clock).StartAsync();
        return new BillingNode(database, node, clock);
    }

    public T Service<T>() where T : notnull => Node.Services.GetRequiredService<T>();

    /// <summary>Delivers an event as Stripe would: the body signed now with the current secret.</summary>
    public async Task<HttpResponseMessage> DeliverAsync(JsonObject evt, string? secret = null, DateTimeOffset? signedAt = null)
    {
        var body = evt.ToJsonString();
        return await PostWebhookAsync(body, StripeSigner.Sign(body, signedAt ?? Clock.GetUtcNow(), secret ?? StripeSigner.Secret));
    }

    public async Task<HttpResponseMessage> PostWebhookAsync(string body, string? signature)
    {
        using var client = Node.Client(apiKey: null);
        var request = new HttpRequestMessage(HttpMethod.Post, "/webhooks/stripe") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        if (signature is not null) request.Headers.TryAddWithoutValidation("Stripe-Signature", signature);
        return await client.SendAsync(request);
    }

    /// <summary>Delivers the events (each must be acknowledged 200) and processes everything due.</summary>
    public async Task DeliverAndProcessAsync(params JsonObject[] events)
    {
        foreach (var evt in events)
        {
            var response = await DeliverAsync(evt);
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{evt["type"]}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        }
        await ProcessAsync();
    }

    public Task<int> ProcessAsync() => Service<StripeEventProcessor>().DrainAsync();

    public Task<int> CheckDeadlinesAsync() => Service<BillingDeadlineJob>().ApplyDueAsync();

    public Task<StripeEventRecord?> StoredEventAsync(string id) => Service<IStripeEventStore>().GetAsync(id);

    public Task<JsonNode> BillingAsync(string orgId) => Admin.GetJsonAsync($"/v1/organisations/{orgId}/billing");

    public Task<JsonNode> EntitlementsAsync(string orgId) => Admin.GetJsonAsync($"/v1/organisations/{orgId}/entitlements");

    /// <summary>Adds a Stripe price to a plan, keeping the rest of the plan as it is.</summary>
    public async Task MapPriceAsync(string planId, params string[] priceIds)
    {
        var plans = await Admin.GetJsonAsync("/v1/plans");
        var plan = plans["items"]!.AsArray().Single(p => p!["id"]!.GetValue<string>() == planId)!;
        var body = new JsonObject
        {
            ["name"] = plan["name"]!.GetValue<string>(),
            ["limits"] = plan["limits"]!.DeepClone(),
            ["features"] = plan["features"]!.DeepClone(),
            ["policies"] = plan["policies"]!.DeepClone(),
            ["stripePriceIds"] = new JsonArray(plan["stripePriceIds"]!.AsArray().Select(p => p!.DeepClone()).Concat(priceIds.Select(p => (JsonNode)p)).ToArray()),
        };
        var response = await Admin.PutAsync($"/v1/plans/{planId}", TestApi.Json(body.ToJsonString()));
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
    }

    public async Task<HttpResponseMessage> LinkAsync(string orgId, string customerId) =>
        await Admin.PutAsync($"/v1/organisations/{orgId}/billing", TestApi.Json(new { stripeCustomerId = customerId }));

    public async ValueTask DisposeAsync()
    {
        await Node.DisposeAsync();
        await _database.DisposeAsync();
    }
}

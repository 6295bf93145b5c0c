using Taskee.Tests.Infrastructure;

namespace Taskee.Tests.Webhooks;

/// <summary>A node as in production: private, loopback and link-local targets refused (plain http allowed for the receiver).</summary>
public sealed class PublicTargetsOnlyNodeFixture : IAsyncLifetime
{
    private TestDatabase? _database;

    public TaskeeNode Node { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        _database = await TestDatabase.CreateAsync();
        Node = await new TaskeeNode(_database, new Dictionary<string, string?>
        {
            ["Webhooks:AllowInsecureUrls"] = "true",
            ["Webhooks:AllowPrivateTargets"] = "false",
            ["Webhooks:SweepInterval"] = "00:00:01",
        }).StartAsync();
    }

    public async Task DisposeAsync()
    {
        await Node.DisposeAsync();
        if (_database is not null) await _database.DisposeAsync();
    }
}

/// <summary>
/// The address is checked when the sender connects, not only when the URL is saved: an endpoint whose name resolves to a
/// loopback address (DNS rebinding, or a row saved before the rule) is never connected to.
/// </summary>
public sealed class WebhookPrivateTargetTests(PublicTargetsOnlyNodeFixture fixture) : IClassFixture<PublicTargetsOnlyNodeFixture>
{
    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("localhost")]
    public async Task An_endpoint_on_a_loopback_address_is_never_connected_to_and_its_attempt_is_blocked(string host)
    {
        var admin = fixture.Node.Admin();
        var orgId = TestApi.NewOrgId("whp");
        await admin.CreateOrganisationAsync(orgId);
        await using var receiver = await WebhookReceiver.StartAsync();
        var url = receiver.Url.Replace("127.0.0.1", host);
        // The API refuses this URL at save time (tested in WebhookRulesTests): put it in the store as a rebound name would be.
        var endpoint = await TestWebhooks.CreateAsync(fixture.Node.Services, orgId, url, "org.limit.set");
        receiver.Trust(endpoint.Secret);

        await admin.SetLimitAsync(orgId, "ai_calls", 5);
        var path = $"{WebhookApi.Webhooks(orgId)}/{endpoint.Id}/deliveries";
        await TestWebhooks.EventuallyAsync(async () => (await admin.GetJsonAsync(path))["items"]!.AsArray().Count >= 1, "the blocked attempt recorded");
        var attempt = (await admin.GetJsonAsync(path))["items"]!.AsArray()[0]!;
        Assert.Equal("blocked", attempt["outcome"]!.GetValue<string>());
        Assert.Null(attempt["statusCode"]);
        Assert.Empty(receiver.Received);
    }
}

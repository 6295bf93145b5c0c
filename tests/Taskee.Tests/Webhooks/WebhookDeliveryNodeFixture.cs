using Taskee.Tests.Infrastructure;

namespace Taskee.Tests.Webhooks;

/// <summary>
/// One node for a class of webhook tests: loopback receivers allowed, a short timeout and sweep, and a manual clock the
/// tests move to make a retry due or a retry window pass (grain timers still run in real time).
/// </summary>
public sealed class WebhookDeliveryNodeFixture : IAsyncLifetime
{
    private TestDatabase? _database;

    public const int TimeoutSeconds = 4;

    public ManualClock Clock { get; } = new(DateTimeOffset.UtcNow);

    public TaskeeNode Node { get; private set; } = null!;

    public IServiceProvider Services => Node.Services;

    public async Task InitializeAsync()
    {
        _database = await TestDatabase.CreateAsync();
        Node = await new TaskeeNode(_database, new Dictionary<string, string?>
        {
            ["Webhooks:AllowInsecureUrls"] = "true",
            ["Webhooks:AllowPrivateTargets"] = "true",
            ["Webhooks:Timeout"] = $"00:00:0{TimeoutSeconds}",
            ["Webhooks:SweepInterval"] = "00:00:01",
        }, Clock).StartAsync();
    }

    /// <summary>Moves the clock past the endpoint's pending retry and wakes it, instead of waiting for the back-off.</summary>
    public async Task RetryNowAsync(string webhookId)
    {
        // The failed attempt is recorded just after the receiver answered it: wait for its retry time.
        DateTimeOffset? next = null;
        await TestWebhooks.EventuallyAsync(async () => (next = (await TestWebhooks.QueueAsync(Services, webhookId)).NextAttemptAt) is not null,
            "a pending retry");
        if (next > Clock.GetUtcNow()) Clock.Set(next.Value.AddMilliseconds(1));
        await TestWebhooks.WakeAsync(Services, webhookId);
    }

    public async Task DisposeAsync()
    {
        await Node.DisposeAsync();
        if (_database is not null) await _database.DisposeAsync();
    }
}

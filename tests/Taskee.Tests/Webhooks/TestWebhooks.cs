using System.Collections.Immutable;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Taskee.Grains.Interfaces;
using Taskee.Grains.Storage;

namespace Taskee.Tests.Webhooks;

/// <summary>
/// Helpers of the delivery tests. Tests make endpoints through the management API; <see cref="CreateAsync"/> puts one
/// straight into <see cref="IWebhookStore"/> (and wakes it, as the API does) for a URL the API refuses to save.
/// </summary>
public static class TestWebhooks
{
    private static readonly ChangeContext Admin = new(new AuditActor("apiKey", "webhook-tests"), null, null);

    public sealed record Created(string Id, string Secret);

    public static async Task<Created> CreateAsync(IServiceProvider services, string orgId, string url, params string[] events)
    {
        var now = services.GetRequiredService<TimeProvider>().GetUtcNow();
        var endpoint = new WebhookEndpoint("wh_" + Guid.NewGuid().ToString("N")[..20], orgId, url,
            (events.Length == 0 ? ["*"] : events).ToImmutableArray(), "test receiver", true, null, 1, now, now, null);
        var secret = WebhookSecrets.NewSecret();
        await services.GetRequiredService<IWebhookStore>().CreateAsync(endpoint, secret,
            new AuditRecord("webhook.created", $"organisations/{orgId}/webhooks/{endpoint.Id}", null,
                JsonSerializer.Serialize(new { id = endpoint.Id, url, events = endpoint.Events })), Admin);
        await WakeAsync(services, endpoint.Id);
        return new Created(endpoint.Id, secret);
    }

    public static Task WakeAsync(IServiceProvider services, string webhookId) =>
        services.GetRequiredService<IGrainFactory>().GetGrain<IWebhookEndpointGrain>(webhookId).WakeAsync();

    public static async Task<WebhookQueue> QueueAsync(IServiceProvider services, string webhookId) =>
        (await services.GetRequiredService<IWebhookDeliveryStore>().GetQueueAsync(webhookId))!;

    /// <summary>Polls until <paramref name="condition"/> holds, failing after <paramref name="seconds"/>.</summary>
    public static async Task EventuallyAsync(Func<Task<bool>> condition, string what, int seconds = 20)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"Not within {seconds} s: {what}");
            await Task.Delay(50);
        }
    }

    public static Task EventuallyAsync(Func<bool> condition, string what, int seconds = 20) =>
        EventuallyAsync(() => Task.FromResult(condition()), what, seconds);
}

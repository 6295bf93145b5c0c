using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Taskee.Grains.Interfaces;
using Taskee.Grains.Jobs;

namespace Taskee.Grains.Webhooks;

public static class WebhookDeliveryServiceCollectionExtensions
{
    /// <summary>Outgoing webhook delivery: the HTTP client with its address checks, the sender, metrics and the sweep.</summary>
    public static IServiceCollection AddTaskeeWebhookDelivery(this IServiceCollection services)
    {
        services.AddSingleton<WebhookMetrics>();
        services.AddSingleton<WebhookSender>();
        // The sender sets one deadline per attempt (Webhooks:Timeout) over connect, headers and the first 1 KB.
        services.AddHttpClient(WebhookSender.ClientName, client => client.Timeout = Timeout.InfiniteTimeSpan)
            .ConfigurePrimaryHttpMessageHandler(sp => WebhookHttpHandler.Create(sp.GetRequiredService<IOptions<WebhookOptions>>().Value.AllowPrivateTargets));
        services.AddSingleton<IPeriodicJob, WebhookSweepJob>();
        return services;
    }
}

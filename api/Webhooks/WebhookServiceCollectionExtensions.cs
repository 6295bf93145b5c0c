using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Taskee.Api.Webhooks;

public static class WebhookServiceCollectionExtensions
{
    /// <summary>Services of webhook endpoint management (the options, Webhooks, are registered with the grains).</summary>
    public static IServiceCollection AddTaskeeWebhooks(this IServiceCollection services)
    {
        services.TryAddSingleton<WebhookUrlPolicy>();
        services.TryAddSingleton<IWebhookWake, GrainWebhookWake>();
        return services;
    }
}

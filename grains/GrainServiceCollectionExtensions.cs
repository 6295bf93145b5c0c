using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Taskee.Grains.Catalog;
using Taskee.Grains.Interfaces;
using Taskee.Grains.Quota;
using Taskee.Grains.Webhooks;

namespace Taskee.Grains;

public static class GrainServiceCollectionExtensions
{
    /// <summary>What the grains need besides Orleans: catalog cache, quota settings and instruments. Storage comes from the host.</summary>
    public static IServiceCollection AddTaskeeGrains(this IServiceCollection services)
    {
        services.AddOptions<GrainOptions>().BindConfiguration(GrainOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);
        services.AddOptions<WebhookOptions>().BindConfiguration(WebhookOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddTaskeeWebhookDelivery();
        services.AddOptions<QuotaOptions>().BindConfiguration(QuotaOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<CatalogCache>();
        services.AddSingleton<NodeIdentity>();
        services.AddSingleton<QuotaMetrics>();
        services.AddSingleton<QuotaRuntime>();
        services.AddSingleton<Scim.ScimGroupRoleMapping>();
        return services;
    }
}

using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Taskee.Grains.Catalog;
using Microsoft.Extensions.Options;
using Taskee.Grains.Hosting;
using Taskee.Grains.Quota;

namespace Taskee.Grains;

public static class GrainServiceCollectionExtensions
{
    /// <summary>The grain layer: directory, catalog cache, quota engine, flush and idle deactivation. Storage comes from the host.</summary>
    public static IServiceCollection AddTaskeeGrains(this IServiceCollection services)
    {
        services.AddOptions<GrainOptions>().BindConfiguration(GrainOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);
        services.AddOptions<QuotaOptions>().BindConfiguration(QuotaOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<IValidateOptions<QuotaOptions>, QuotaOptionsValidator>();
        services.AddSingleton<CatalogCache>();
        services.AddSingleton<NodeIdentity>();
        services.AddSingleton<QuotaMetrics>();
        services.AddSingleton<QuotaRuntime>();
        services.AddSingleton<GrainDirectory>();
        services.AddHostedService<IdleDeactivationService>();
        services.AddSingleton<QuotaFlushService>();
        services.AddHostedService(sp => sp.GetRequiredService<QuotaFlushService>());
        return services;
    }
}

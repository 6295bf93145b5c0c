using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Taskee.Grains.Catalog;
using Taskee.Grains.Hosting;

namespace Taskee.Grains;

public static class GrainServiceCollectionExtensions
{
    /// <summary>The grain layer: directory, catalog cache, idle deactivation. Storage comes from the host.</summary>
    public static IServiceCollection AddTaskeeGrains(this IServiceCollection services)
    {
        services.AddOptions<GrainOptions>().BindConfiguration(GrainOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<CatalogCache>();
        services.AddSingleton<GrainDirectory>();
        services.AddHostedService<IdleDeactivationService>();
        return services;
    }
}

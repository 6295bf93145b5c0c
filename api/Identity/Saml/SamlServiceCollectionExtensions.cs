using Microsoft.Extensions.DependencyInjection;
using Taskee.Grains.Jobs;

namespace Taskee.Api.Identity.Saml;

public static class SamlServiceCollectionExtensions
{
    /// <summary>SAML sign-in: this node's SP identity, request lifetime, and the purge of used request and assertion ids.</summary>
    public static IServiceCollection AddTaskeeSaml(this IServiceCollection services)
    {
        services.AddOptions<SamlOptions>().BindConfiguration(SamlOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<SamlServiceProvider>();
        services.AddSingleton<IPeriodicJob, SamlPurgeJob>();
        return services;
    }
}

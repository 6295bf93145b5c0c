using Microsoft.Extensions.Options;
using Taskee.Api;
using Taskee.Api.Auth;
using Taskee.Grains;
using Taskee.Grains.Cluster;
using Taskee.Silo.Cluster;
using Taskee.Silo.Storage;

namespace Taskee.Silo;

public static class SiloExtensions
{
    /// <summary>Everything a node hosts: storage, grains, the API, and the start-up sequence.</summary>
    public static WebApplicationBuilder AddTaskeeSilo(this WebApplicationBuilder builder)
    {
        builder.Services.AddTaskeeStorage();
        builder.Services.AddTaskeeGrains();
        builder.Services.AddTaskeeApi();

        builder.Services.AddOptions<AuthOptions>().BindConfiguration(AuthOptions.Section).ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<AuthOptions>, AuthOptionsValidator>();
        builder.Services.AddSingleton<BootstrapAdminKey>();
        builder.Services.AddHostedService<StartupInitializer>();

        builder.Services.AddOptions<ClusterOptions>().BindConfiguration(ClusterOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<ClusterOptions>, ClusterOptionsValidator>();
        builder.Services.AddSingleton<NodeLifecycle>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<NodeLifecycle>());
        builder.Services.AddHostedService<ChangeListener>();
        return builder;
    }
}

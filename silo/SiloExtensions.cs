using Microsoft.Extensions.Options;
using Taskee.Api;
using Taskee.Api.Auth;
using Taskee.Grains;
using Taskee.Silo.Cluster;
using Taskee.Silo.Storage;

namespace Taskee.Silo;

public static class SiloExtensions
{
    /// <summary>Everything a silo hosts: storage, the start-up sequence, Orleans with the grains, the API.</summary>
    public static WebApplicationBuilder AddTaskeeSilo(this WebApplicationBuilder builder)
    {
        builder.Services.AddTaskeeStorage();
        builder.Services.AddTaskeeGrains();
        builder.Services.AddTaskeeApi();

        builder.Services.AddOptions<AuthOptions>().BindConfiguration(AuthOptions.Section).ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<AuthOptions>, AuthOptionsValidator>();
        builder.Services.AddSingleton<BootstrapAdminKey>();
        builder.Services.AddSingleton<ClusterChanges>();
        // Registered before Orleans: storage is migrated before the silo's providers read their tables.
        builder.Services.AddHostedService<StartupInitializer>();
        builder.AddTaskeeOrleans();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<ClusterChanges>());
        builder.Services.AddHostedService<SiloDrain>();
        builder.Services.AddHostedService<PeriodicJobStarter>();
        return builder;
    }
}

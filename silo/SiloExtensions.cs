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
        // First of all hosted services: storage is migrated before anything reads it (Data Protection's key ring,
        // Orleans' ADO.NET providers, the samplers).
        builder.Services.AddHostedService<StartupInitializer>();
        builder.Services.AddTaskeeStorage();
        builder.Services.AddTaskeeGrains();
        builder.Services.AddTaskeeApi();

        builder.Services.AddOptions<AuthOptions>().BindConfiguration(AuthOptions.Section).ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<AuthOptions>, AuthOptionsValidator>();
        builder.Services.AddSingleton<BootstrapAdminKey>();
        builder.Services.AddSingleton<ClusterChanges>();
        builder.AddTaskeeOrleans();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<ClusterChanges>());
        builder.Services.AddHostedService<SiloDrain>();
        builder.Services.AddHostedService<PeriodicJobStarter>();
        return builder;
    }
}

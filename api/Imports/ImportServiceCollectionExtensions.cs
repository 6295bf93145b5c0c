using Microsoft.Extensions.DependencyInjection;
using Taskee.Grains.Jobs;

namespace Taskee.Api.Imports;

public static class ImportServiceCollectionExtensions
{
    /// <summary>The import engine and its settings: what the <c>import</c> command needs.</summary>
    public static IServiceCollection AddTaskeeImportEngine(this IServiceCollection services)
    {
        services.AddOptions<ImportOptions>().BindConfiguration(ImportOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<CustomerImporter>();
        return services;
    }

    /// <summary>The engine and the periodic job that runs the imports of <c>POST /v1/imports</c>.</summary>
    public static IServiceCollection AddTaskeeImports(this IServiceCollection services)
    {
        services.AddTaskeeImportEngine();
        services.AddSingleton<IPeriodicJob, ImportJobRunner>();
        return services;
    }
}

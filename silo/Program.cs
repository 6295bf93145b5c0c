using Microsoft.Extensions.Options;
using Taskee.Api;
using Taskee.Silo;
using Taskee.Silo.Cluster;
using Taskee.Silo.Commands;

if (args.Length > 0 && SiloCommands.Find(args[0]) is { } command)
{
    return await command(args[1..]);
}

try
{
    // appsettings.json beside the executable, wherever the process is started from.
    var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
    builder.AddTaskeeSilo();
    builder.AddTaskeeTelemetry();

    var app = builder.Build();
    app.UseTaskeeMetrics();
    app.UseTaskeeApi();
    app.MapTaskeeApi();
    app.MapTaskeeDashboard();
    await app.RunAsync();
    return 0;
}
catch (OptionsValidationException ex)
{
    Console.Error.WriteLine($"Configuration error: {string.Join(" ", ex.Failures)}");
    return 2;
}
catch (InvalidOperationException ex) when (ex.Message.StartsWith("Failed to convert configuration value", StringComparison.Ordinal))
{
    // A value of the wrong shape (a TimeSpan that is not one): say which, without a stack trace.
    Console.Error.WriteLine($"Configuration error: {ex.Message} Durations look like 00:00:05.");
    return 2;
}

public partial class Program;

using Taskee.Api.Auth;
using Taskee.Api.Infrastructure;
using Taskee.Grains.Catalog;
using Taskee.Silo.Storage;

namespace Taskee.Silo;

/// <summary>
/// Brings the node to ready in the background: migrations, catalog, bootstrap key. Until it is done
/// <c>/health/ready</c> is unhealthy and the API answers 503. A database that is not up yet is retried.
/// </summary>
public sealed partial class StartupInitializer(
    MigrationRunner migrations,
    CatalogCache catalog,
    BootstrapAdminKey bootstrapKey,
    StartupGate gate,
    ILogger<StartupInitializer> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var delay = TimeSpan.FromMilliseconds(250);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await migrations.MigrateAsync(stoppingToken);
                await catalog.ReloadAsync(stoppingToken);
                await bootstrapKey.EnsureAsync(stoppingToken);
                gate.Open();
                LogReady();
                return;
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                gate.Fail($"Start-up failed, retrying: {ex.Message}");
                LogStartupFailed(ex, delay);
                await Task.Delay(delay, stoppingToken);
                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, TimeSpan.FromSeconds(10).Ticks));
            }
        }
    }

    [LoggerMessage(EventId = 1101, Level = LogLevel.Information, Message = "Node ready: storage migrated, catalog loaded")]
    private partial void LogReady();

    [LoggerMessage(EventId = 1102, Level = LogLevel.Error,
        Message = "Start-up could not reach or migrate storage; retrying in {Delay}. Check Storage:Provider and Storage:ConnectionString, and that the database is up")]
    private partial void LogStartupFailed(Exception exception, TimeSpan delay);
}

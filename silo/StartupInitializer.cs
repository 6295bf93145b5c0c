using Taskee.Api.Auth;
using Taskee.Api.Infrastructure;
using Taskee.Api.Billing.Stripe;
using Taskee.Grains.Catalog;
using Taskee.Grains.Quota;
using Taskee.Silo.Cluster;
using Taskee.Silo.Storage;

namespace Taskee.Silo;

/// <summary>
/// Brings storage up before the silo starts (registered ahead of Orleans, so its start runs first): migrations,
/// including the tables Orleans' ADO.NET providers read, then the catalog and the bootstrap key. A database that is
/// not up yet is retried with back-off. Once the host has started, readiness turns true.
/// </summary>
public sealed partial class StartupInitializer(
    MigrationRunner migrations,
    CatalogCache catalog,
    BootstrapAdminKey bootstrapKey,
    SqlDialect dialect,
    ClusterChanges changes,
    StartupGate gate,
    IConfiguration configuration,
    IHostApplicationLifetime lifetime,
    ILogger<StartupInitializer> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        foreach (var setting in QuotaOptions.Obsolete.Concat(OrleansOptions.Obsolete).Concat(StripeOptions.Obsolete).Where(s => configuration[s] is not null))
            LogObsoleteSetting(setting);

        dialect.CommitListener = changes;
        var delay = TimeSpan.FromMilliseconds(250);
        while (true)
        {
            try
            {
                await migrations.MigrateAsync(cancellationToken);
                await catalog.ReloadAsync(cancellationToken);
                break;
            }
            catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
            {
                gate.Fail($"Start-up failed, retrying: {ex.Message}");
                LogStartupFailed(ex, delay);
                await Task.Delay(delay, cancellationToken);
                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, TimeSpan.FromSeconds(10).Ticks));
            }
        }
        lifetime.ApplicationStarted.Register(() => _ = OpenAsync());
    }

    // The bootstrap key is written through the storage layer once the silo runs (its commit is announced to the cluster).
    private async Task OpenAsync()
    {
        try
        {
            await bootstrapKey.EnsureAsync(lifetime.ApplicationStopping);
            gate.Open();
            LogReady();
        }
        catch (Exception ex) when (!lifetime.ApplicationStopping.IsCancellationRequested)
        {
            gate.Fail($"Start-up failed: {ex.Message}");
            LogStartupFailed(ex, TimeSpan.Zero);
            lifetime.StopApplication();
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(EventId = 1101, Level = LogLevel.Information, Message = "Silo ready: storage migrated, catalog loaded")]
    private partial void LogReady();

    [LoggerMessage(EventId = 1102, Level = LogLevel.Error,
        Message = "Start-up could not reach or migrate storage; retrying in {Delay}. Check Storage:Provider and Storage:ConnectionString, and that the database is up")]
    private partial void LogStartupFailed(Exception exception, TimeSpan delay);

    [LoggerMessage(EventId = 1103, Level = LogLevel.Warning,
        Message = "Setting {Setting} has no meaning since the control plane runs on Orleans and is ignored; remove it (see README, Configuration)")]
    private partial void LogObsoleteSetting(string setting);
}

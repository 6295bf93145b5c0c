using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Taskee.Api.Infrastructure;
using Taskee.Grains.Jobs;
using Taskee.Grains.Storage;

namespace Taskee.Api.Identity.Issuer;

/// <summary>
/// On every silo: once storage is ready, makes sure a signing key exists, then re-reads the keys every minute so a key
/// another silo stored is published and trusted here within a minute (sooner when a token names it).
/// </summary>
public sealed partial class SigningKeyRefresher(SigningKeys keys, StartupGate gate, ILogger<SigningKeyRefresher> logger) : BackgroundService
{
    private static readonly TimeSpan Period = TimeSpan.FromMinutes(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!gate.IsOpen) await Task.Delay(100, stoppingToken);
        for (var attempt = 1; !stoppingToken.IsCancellationRequested; attempt++)
        {
            try
            {
                await keys.EnsureAsync(stoppingToken);
                break;
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                LogFailed(ex);
                await Task.Delay(TimeSpan.FromSeconds(Math.Min(30, attempt)), stoppingToken);
            }
        }

        using var timer = new PeriodicTimer(Period);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await keys.ReloadAsync(stoppingToken);
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                LogFailed(ex); // the keys held keep working; the next tick tries again
            }
        }
    }

    [LoggerMessage(EventId = 4202, Level = LogLevel.Warning, Message = "Could not read or settle the signing keys; retrying")]
    private partial void LogFailed(Exception exception);
}

/// <summary>
/// Hourly, on one silo of the cluster: rotates when a key's interval ends (also when nobody signs in), and deletes keys
/// no longer published and refresh token families that expired (a day later, so a reuse is still recognised briefly).
/// </summary>
public sealed class IssuerMaintenanceJob(SigningKeys keys, IIssuerStore store, TimeProvider clock) : IPeriodicJob
{
    public string Name => "issuer-keys";

    public TimeSpan Interval => TimeSpan.FromHours(1);

    public bool Enabled => true;

    public async Task RunAsync(CancellationToken ct)
    {
        await keys.EnsureAsync(ct);
        var dayAgo = clock.GetUtcNow() - TimeSpan.FromDays(1);
        await store.PurgeKeysAsync(dayAgo, ct);
        await store.PurgeFamiliesAsync(dayAgo, ct);
    }
}

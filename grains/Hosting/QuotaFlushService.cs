using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Taskee.Grains.Quota;
using Taskee.Grains.Storage;

namespace Taskee.Grains.Hosting;

/// <summary>
/// Reports consumption every <see cref="QuotaOptions.FlushInterval"/>, reclaims expired leases of dead holders,
/// purges old consume keys; on shutdown flushes every grain and returns its leases.
/// </summary>
public sealed class QuotaFlushService(
    GrainDirectory grains,
    IQuotaLedger ledger,
    IOptions<QuotaOptions> options,
    TimeProvider clock,
    ILogger<QuotaFlushService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        using var timer = new PeriodicTimer(settings.FlushInterval, clock);
        // The first sweeps wait a little: at start-up the migrations may still be running.
        var nextReclaim = clock.GetUtcNow() + settings.LeaseTtl / 2;
        var nextPurge = clock.GetUtcNow() + TimeSpan.FromMinutes(1);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await grains.FlushAllAsync(stoppingToken);
                var now = clock.GetUtcNow();
                if (now >= nextReclaim)
                {
                    await ledger.ReclaimExpiredAsync(stoppingToken);
                    nextReclaim = now + settings.LeaseTtl / 2;
                }
                if (now >= nextPurge)
                {
                    await ledger.PurgeConsumeKeysAsync(now - settings.IdempotencyRetention, stoppingToken);
                    nextPurge = now + TimeSpan.FromHours(1);
                }
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                QuotaLog.FlushFailed(logger, ex);
            }
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        var flushed = await grains.DeactivateAllAsync();
        QuotaLog.FlushedOnShutdown(logger, flushed);
    }
}

using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Taskee.Grains.Quota;
using Taskee.Grains.Storage;

namespace Taskee.Grains.Hosting;

/// <summary>
/// Reports consumption every <see cref="QuotaOptions.FlushInterval"/>, reclaims expired leases of dead holders,
/// purges old consume keys. <see cref="FinalFlushAsync"/> flushes every grain and returns its leases on shutdown.
/// </summary>
public sealed class QuotaFlushService(
    GrainDirectory grains,
    IQuotaLedger ledger,
    IOptions<QuotaOptions> options,
    QuotaMetrics metrics,
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
                metrics.Flushed();
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

    // One final flush however often it is asked for: the node's lifecycle calls it once the server has
    // stopped taking requests, so no grain is activated after it.
    private readonly Lock _stopping = new();
    private Task? _finalFlush;

    /// <summary>Reports every grain and returns its leases; safe to call more than once.</summary>
    public Task FinalFlushAsync()
    {
        lock (_stopping) return _finalFlush ??= FlushOnShutdownAsync();
    }

    private async Task FlushOnShutdownAsync()
    {
        try
        {
            var flushed = await grains.DeactivateAllAsync();
            QuotaLog.FlushedOnShutdown(logger, flushed);
        }
        catch (ObjectDisposedException ex)
        {
            // Seen only under the test host, whose storage can be disposed while the host stops: say so loudly.
            QuotaLog.ShutdownFlushLost(logger, ex);
        }
    }
}

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

    // One final flush however often the host is stopped: a second StopAsync (the host's own shutdown racing an
    // outer one, as under a test host) waits for it instead of returning early and letting storage be disposed.
    private readonly Lock _stopping = new();
    private Task? _finalFlush;

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        Task flush;
        lock (_stopping) flush = _finalFlush ??= FlushOnShutdownAsync();
        await flush;
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

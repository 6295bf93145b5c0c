using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Taskee.Grains.Interfaces;
using Taskee.Grains.Jobs;
using Taskee.Grains.Storage;

namespace Taskee.Grains.Webhooks;

/// <summary>
/// Wakes every enabled endpoint with work nobody woke it for: after a silo failure (its grains and their retry timers are
/// gone), a lost stream event, or a retry whose grain was deactivated. Reports how many endpoints stand disabled.
/// </summary>
public sealed partial class WebhookSweepJob(
    IWebhookDeliveryStore store, IGrainFactory grains, WebhookMetrics metrics, IOptions<WebhookOptions> options, TimeProvider clock,
    ILogger<WebhookSweepJob> logger) : IPeriodicJob
{
    private const int PageSize = 500;

    public string Name => "webhook-sweep";

    public TimeSpan Interval => options.Value.SweepInterval;

    public bool Enabled => true;

    public async Task RunAsync(CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var woken = 0;
        string? after = null;
        while (true)
        {
            var due = await store.DueAsync(now, after, PageSize, ct);
            foreach (var id in due) await grains.GetGrain<IWebhookEndpointGrain>(id).WakeAsync();
            woken += due.Count;
            if (due.Count < PageSize) break;
            after = due[^1];
        }
        metrics.StandingDisabled(await store.CountDisabledAsync(ct), Interval * 3);
        if (woken > 0) LogWoken(woken);
    }

    [LoggerMessage(EventId = 4845, Level = LogLevel.Debug, Message = "Webhook sweep woke {Count} endpoints")]
    private partial void LogWoken(int count);
}

using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Taskee.Api.Infrastructure;
using Taskee.Grains.Quota;
using Taskee.Grains.Storage;

namespace Taskee.Api.Billing.Processing;

/// <summary>
/// Processes stored Stripe events: at once when one arrives on this node (<see cref="Wake"/>), and every few seconds
/// for what other nodes received, what failed and is due again, and what a crashed node left claimed. Events are
/// claimed in the database, so each is processed by one node; a failure is retried with back-off, without end: an
/// acknowledged event is never dropped.
/// </summary>
public sealed class StripeEventProcessor(
    IStripeEventStore events,
    StripeEventHandler handler,
    Webhooks.StripeWebhookHealth health,
    StartupGate gate,
    NodeIdentity node,
    TimeProvider clock,
    ILogger<StripeEventProcessor> logger) : BackgroundService
{
    public static readonly TimeSpan PollInterval = TimeSpan.FromSeconds(5);

    /// <summary>How long a claim lasts: a node that died holding events gives them up after this.</summary>
    public static readonly TimeSpan ClaimLease = TimeSpan.FromMinutes(5);

    public static readonly TimeSpan MaxRetryDelay = TimeSpan.FromHours(1);

    private const int BatchSize = 20;

    private readonly SemaphoreSlim _wake = new(0, 1);
    private readonly SemaphoreSlim _turn = new(1, 1);

    /// <summary>Asks for a drain now (an event was just stored).</summary>
    public void Wake()
    {
        try
        {
            _wake.Release();
        }
        catch (SemaphoreFullException)
        {
            // Already asked.
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!gate.IsOpen) await Task.Delay(100, stoppingToken);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await DrainAsync(stoppingToken);
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                BillingLog.ProcessorFailed(logger, ex);
            }
            await _wake.WaitAsync(PollInterval, stoppingToken);
        }
    }

    /// <summary>Processes due events, oldest first, until none is left; returns how many were handled. One drain at a time per node.</summary>
    public async Task<int> DrainAsync(CancellationToken ct = default)
    {
        await _turn.WaitAsync(ct);
        try
        {
            var handled = 0;
            while (true)
            {
                var batch = await events.ClaimDueAsync(node.Id, clock.GetUtcNow(), ClaimLease, BatchSize, ct);
                if (batch.Count == 0) return handled;
                foreach (var record in batch)
                {
                    await ProcessAsync(record, ct);
                    handled++;
                }
            }
        }
        finally
        {
            _turn.Release();
        }
    }

    private async Task ProcessAsync(StripeEventRecord record, CancellationToken ct)
    {
        try
        {
            var outcome = await handler.HandleAsync(record, ct);
            await events.FinishAsync(record.Id, outcome.Status, outcome.OrgId, outcome.Detail, outcome.WaitingFor, clock.GetUtcNow(), ct);
            BillingLog.EventProcessed(logger, record.Id, record.Type, outcome.Status, outcome.OrgId, outcome.Detail);
        }
        catch (Exception ex) when (!ct.IsCancellationRequested)
        {
            var next = clock.GetUtcNow() + RetryDelay(record.Attempts);
            BillingLog.EventFailed(logger, ex, record.Id, record.Attempts, next);
            health.Failed("processing");
            // If this write fails too, the claim runs out and the event is claimed again: still not lost.
            await events.RetryAsync(record.Id, next, $"Attempt {record.Attempts} failed: {ex.GetType().Name}: {ex.Message}", ct);
        }
    }

    /// <summary>5 s after the first failure, doubling, at most an hour.</summary>
    public static TimeSpan RetryDelay(int attempts)
    {
        var delay = TimeSpan.FromSeconds(5 * Math.Pow(2, Math.Clamp(attempts - 1, 0, 20)));
        return delay > MaxRetryDelay ? MaxRetryDelay : delay;
    }
}

using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Taskee.Api.Billing.Stripe;
using Taskee.Api.Infrastructure;
using Taskee.Grains.Storage;

namespace Taskee.Api.Billing.Reconciliation;

/// <summary>
/// Runs reconciliation every <see cref="BillingOptions.ReconcileInterval"/> when a Stripe API key is configured. Each
/// node looks once a minute; a lease row in the database lets one node of a cluster run it per interval.
/// </summary>
public sealed class BillingReconcileService(
    BillingReconciler reconciler,
    IBillingStore billing,
    StripeClient stripe,
    StartupGate gate,
    IOptions<BillingOptions> options,
    TimeProvider clock,
    ILogger<BillingReconcileService> logger) : BackgroundService
{
    public const string JobName = "reconcile-billing";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!stripe.IsConfigured) return;
        while (!gate.IsOpen) await Task.Delay(100, stoppingToken);
        using var timer = new PeriodicTimer(TimeSpan.FromMinutes(1), clock);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                if (await billing.TryStartJobAsync(JobName, clock.GetUtcNow(), options.Value.ReconcileInterval, stoppingToken))
                    await reconciler.ReconcileAllAsync(progress: null, stoppingToken);
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                BillingLog.ReconcileFailed(logger, ex);
            }
        }
    }
}

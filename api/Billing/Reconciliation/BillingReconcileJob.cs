using Microsoft.Extensions.Options;
using Taskee.Api.Billing.Stripe;
using Taskee.Grains.Jobs;
using Taskee.Grains.Storage;

namespace Taskee.Api.Billing.Reconciliation;

/// <summary>
/// Runs reconciliation every <see cref="BillingOptions.ReconcileInterval"/> when a Stripe API key is configured. The job
/// grain looks once a minute; the job row in the database keeps the interval across restarts and failovers.
/// </summary>
public sealed class BillingReconcileJob(BillingReconciler reconciler, IBillingStore billing, StripeApi stripe, IOptions<BillingOptions> options, TimeProvider clock)
    : IPeriodicJob
{
    public const string JobName = "reconcile-billing";

    public string Name => JobName;

    public TimeSpan Interval => TimeSpan.FromMinutes(1);

    public bool Enabled => stripe.IsConfigured;

    public async Task RunAsync(CancellationToken ct)
    {
        if (await billing.TryStartJobAsync(JobName, clock.GetUtcNow(), options.Value.ReconcileInterval, ct))
            await reconciler.ReconcileAllAsync(progress: null, ct);
    }
}

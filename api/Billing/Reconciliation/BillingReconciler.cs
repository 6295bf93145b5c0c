using Microsoft.Extensions.Logging;
using Stripe;
using Taskee.Api.Billing.Stripe;
using Taskee.Grains.Billing;
using Taskee.Grains.Interfaces;
using Taskee.Grains.Storage;

namespace Taskee.Api.Billing.Reconciliation;

/// <summary>Where a reconciliation run is.</summary>
public sealed record ReconcileProgress(int Done, int Total, int Corrected, int Failed, string OrgId);

public sealed record ReconcileSummary(string RunId, int Checked, int Corrected, int Failed);

/// <summary>
/// Re-reads from Stripe the subscriptions of every linked organisation and applies the one that counts (a live one
/// over an ended one, else the newest), so missed or mangled webhooks cannot leave an organisation on the wrong
/// status, plan or period. A correction is an audit event <c>billing.reconciled</c> by actor Stripe with the run id;
/// an organisation already right is not touched.
/// </summary>
public sealed class BillingReconciler(
    IBillingStore billing,
    BillingApplier applier,
    StripeApi stripe,
    TimeProvider clock,
    ILogger<BillingReconciler> logger)
{
    private const int PageSize = 100;

    public async Task<ReconcileSummary> ReconcileAllAsync(IProgress<ReconcileProgress>? progress = null, CancellationToken ct = default)
    {
        if (!stripe.IsConfigured) throw new InvalidOperationException("Billing:Stripe:ApiKey is not set: there is nothing to reconcile against.");

        var runId = $"reconcile-{clock.GetUtcNow():yyyyMMdd'T'HHmmss'Z'}";
        var total = await billing.CountLinkedAsync(ct);
        int done = 0, corrected = 0, failed = 0;
        string? after = null;
        while (true)
        {
            var page = await billing.ListLinkedAsync(after, PageSize, ct);
            foreach (var linked in page)
            {
                try
                {
                    if (await ReconcileAsync(linked.OrgId, linked.CustomerId, runId, ct)) corrected++;
                }
                catch (Exception ex) when (!ct.IsCancellationRequested)
                {
                    failed++;
                    BillingLog.ReconcileOrganisationFailed(logger, ex, linked.OrgId);
                }
                done++;
                progress?.Report(new ReconcileProgress(done, Math.Max(total, done), corrected, failed, linked.OrgId));
            }
            if (page.Count < PageSize) break;
            after = page[^1].OrgId;
        }

        BillingLog.Reconciled(logger, runId, done, corrected, failed);
        return new ReconcileSummary(runId, done, corrected, failed);
    }

    /// <summary>Reads the customer's subscriptions from Stripe and applies the one that counts; true when that corrected something.</summary>
    public async Task<bool> ReconcileAsync(string orgId, string customerId, string runId, CancellationToken ct = default)
    {
        var list = await stripe.Subscriptions.ListAsync(new SubscriptionListOptions { Customer = customerId, Status = "all", Limit = 100 }, cancellationToken: ct);
        var now = clock.GetUtcNow();
        var subscriptions = list.Data
            .Select(s => StripeFacts.Subscription(s, now, BillingFacts.ReadRank, runId, applier.PlanForPrice).Fact)
            .ToList();
        if (subscriptions.Count == 0) return false;

        var current = subscriptions.Aggregate((held, next) => BillingFacts.Supersedes(next, held) ? next : held);
        var result = await applier.ApplyAsync(orgId, null, facts => BillingFacts.WithSubscription(facts, current),
            new ChangeContext(new AuditActor("stripe", runId), runId, null), "billing.reconciled", ct);
        return result.Status == WriteStatus.Done;
    }
}

using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Taskee.Grains.Jobs;
using Taskee.Grains.Interfaces;
using Taskee.Grains.Storage;

namespace Taskee.Api.Billing.Processing;

/// <summary>
/// Every <see cref="BillingOptions.CheckInterval"/> (a periodic job: one silo at a time): organisations whose billing decision changes by time (grace ran
/// out: suspended; the period of a subscription set to cancel ended: cancelled) are decided again. The audit actor is
/// Stripe with the event that set the deadline.
/// </summary>
public sealed class BillingDeadlineJob(
    IBillingStore billing,
    IOrganisationStore organisations,
    BillingApplier applier,
    IOptions<BillingOptions> options,
    TimeProvider clock,
    ILogger<BillingDeadlineJob> logger) : IPeriodicJob
{
    public string Name => "billing-deadlines";

    public TimeSpan Interval => options.Value.CheckInterval;

    public bool Enabled => true;

    public Task RunAsync(CancellationToken ct) => ApplyDueAsync(ct);

    /// <summary>Decides again every organisation whose deadline has passed; returns how many changed.</summary>
    public async Task<int> ApplyDueAsync(CancellationToken ct = default)
    {
        var changed = 0;
        foreach (var orgId in await billing.ListDueAsync(clock.GetUtcNow(), 500, ct))
        {
            if (await organisations.GetAsync(orgId, ct) is not { } organisation) continue;
            var cause = organisation.Billing?.DueEventId ?? "billing-deadline";
            var result = await applier.ApplyAsync(orgId, null, _ => null, new ChangeContext(new AuditActor("stripe", cause), null, null), ct: ct);
            if (result.Status != WriteStatus.Done) continue;
            changed++;
            BillingLog.DeadlineApplied(logger, orgId, result.Organisation!.Status);
        }
        return changed;
    }
}

using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Taskee.Api.Infrastructure;
using Taskee.Grains.Interfaces;
using Taskee.Grains.Storage;

namespace Taskee.Api.Billing.Processing;

/// <summary>
/// Every <see cref="BillingOptions.CheckInterval"/>: organisations whose billing decision changes by time (grace ran
/// out: suspended; the period of a subscription set to cancel ended: cancelled) are decided again. The audit actor is
/// Stripe with the event that set the deadline.
/// </summary>
public sealed class BillingDeadlineService(
    IBillingStore billing,
    IOrganisationStore organisations,
    BillingApplier applier,
    StartupGate gate,
    IOptions<BillingOptions> options,
    TimeProvider clock,
    ILogger<BillingDeadlineService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!gate.IsOpen) await Task.Delay(100, stoppingToken);
        using var timer = new PeriodicTimer(options.Value.CheckInterval, clock);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await ApplyDueAsync(stoppingToken);
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                BillingLog.DeadlineCheckFailed(logger, ex);
            }
        }
    }

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

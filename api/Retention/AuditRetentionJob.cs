using System.Data.Common;
using Microsoft.Extensions.Logging;
using Taskee.Grains.Catalog;
using Taskee.Grains.Interfaces;
using Taskee.Grains.Jobs;
using Taskee.Grains.Storage;

namespace Taskee.Api.Retention;

/// <summary>
/// Hourly, per organisation: deletes the audit events past its retention (its override, else its plan's) behind a
/// checkpoint, in one transaction with the <c>audit.pruned</c> event that records it. The platform chain is not pruned.
/// </summary>
public sealed class AuditRetentionJob(
    IOrganisationStore organisations, IAuditRetentionStore retention, CatalogCache catalog, RetentionMetrics metrics,
    TimeProvider clock, ILogger<AuditRetentionJob> logger) : IPeriodicJob
{
    private const int PageSize = 200;

    public string Name => "prune-audit-retention";

    public TimeSpan Interval => TimeSpan.FromHours(1);

    public bool Enabled => true;

    public async Task RunAsync(CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        int checkedCount = 0, prunedOrganisations = 0, failed = 0;
        long pruned = 0;
        string? after = null;
        while (true)
        {
            var page = await organisations.ListAsync(after, PageSize, ct);
            foreach (var organisation in page)
            {
                checkedCount++;
                var days = AuditRetention.DaysFor(organisation, catalog.Current.Plans.GetValueOrDefault(organisation.PlanId));
                try
                {
                    if (await retention.PruneAsync(organisation.Id, now.AddDays(-days), ct) is not { } prune) continue;
                    prunedOrganisations++;
                    pruned += prune.Pruned;
                    metrics.Pruned(prune.Pruned);
                    RetentionLog.Pruned(logger, organisation.Id, prune.Pruned, days, prune.Checkpoint.Seq);
                }
                catch (DbException ex)
                {
                    // One organisation's failure (its transaction rolled back) must not stop the others' retention.
                    failed++;
                    RetentionLog.PruneFailed(logger, ex, organisation.Id);
                }
            }
            if (page.Count < PageSize) break;
            after = page[^1].Id;
        }
        metrics.Run(failed > 0);
        RetentionLog.RunCompleted(logger, checkedCount, pruned, prunedOrganisations, failed);
    }
}

using System.Data.Common;
using Microsoft.Extensions.Logging;
using Taskee.Api.Infrastructure;
using Taskee.Grains.Jobs;
using Taskee.Grains.Storage;

namespace Taskee.Api.Offboarding;

/// <summary>
/// Hourly: deletes the organisations whose offboarding window ended (durable: the window's end is stored with the
/// organisation, so a restart only delays it), then tells each one's grain to forget it.
/// </summary>
public sealed class OffboardingDeletionJob(IOffboardingStore store, OrganisationGrains grains, TimeProvider clock, ILogger<OffboardingDeletionJob> logger) : IPeriodicJob
{
    private const int BatchSize = 50;

    public string Name => "delete-offboarded-organisations";

    public TimeSpan Interval => TimeSpan.FromHours(1);

    public bool Enabled => true;

    public async Task RunAsync(CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        int deleted = 0, failed = 0;
        foreach (var orgId in await store.ListDueAsync(now, BatchSize, ct))
        {
            try
            {
                if (await store.DeleteAsync(orgId, now, ct) is not { } tombstone) continue; // cancelled meanwhile
                // After the commit: an activation would otherwise keep answering from its memory of the organisation.
                await grains.Get(orgId).ForgetAsync();
                deleted++;
                OffboardingLog.Deleted(logger, orgId, tombstone.FinalSeq);
            }
            catch (DbException ex)
            {
                failed++;
                OffboardingLog.DeleteFailed(logger, ex, orgId);
            }
        }
        OffboardingLog.RunCompleted(logger, deleted, failed);
    }
}

using Microsoft.Extensions.Logging;
using Taskee.Api.Infrastructure;
using Taskee.Grains.Interfaces;
using Taskee.Grains.Jobs;
using Taskee.Grains.Storage;

namespace Taskee.Api.Privacy;

/// <summary>
/// Runs filed data-subject requests. Durable by its table: every tick reads the pending and running requests, so one
/// interrupted by a restart (or a silo lost mid-erasure) is taken up again by the job grain on a surviving silo. Each
/// step can be repeated: removing a member that is gone is a no-op, and an erasure whose transaction committed
/// (chain head recorded) goes straight to its receipt.
/// </summary>
public sealed partial class PrivacyRequestJob(IPrivacyRequestStore store, OrganisationGrains grains, PrivacyReceipts receipts, ILogger<PrivacyRequestJob> logger)
    : IPeriodicJob
{
    public const string ActorKind = "privacy";
    private const int BatchSize = 20;

    public string Name => "privacy-requests";

    // Short, so that an admin following the request sees it finish within seconds.
    public TimeSpan Interval => TimeSpan.FromSeconds(2);

    public bool Enabled => true;

    public async Task RunAsync(CancellationToken ct)
    {
        foreach (var request in await store.DueAsync(BatchSize, ct))
        {
            try
            {
                await RunOneAsync(request, ct);
            }
            catch (Exception ex) when (!ct.IsCancellationRequested)
            {
                // Storage or cluster trouble: the request stays due and the next tick tries again from where it stood.
                LogRetrying(ex, request.OrgId, request.Id);
            }
        }
    }

    private async Task RunOneAsync(PrivacyRequest request, CancellationToken ct)
    {
        var context = new ChangeContext(new AuditActor(ActorKind, request.Id), request.Id, null);
        await store.MarkRunningAsync(request.Id, ct);
        if (request.Kind == PrivacyRequestKinds.Access)
        {
            await store.CompleteAsync(request, null, context, ct);
            LogCompleted(request.OrgId, request.Id, request.Kind);
            return;
        }

        if (request.ErasedSeq is null)
        {
            if (await grains.GetAsync(request.OrgId, ct) is not { } grain)
            {
                await store.FailAsync(request, $"Organisation '{request.OrgId}' no longer exists.", context, ct);
                LogFailed(request.OrgId, request.Id);
                return;
            }
            // Through the grain: the seat is freed in its counter and the member's sessions are revoked with the row.
            await grain.RemoveMemberAsync(request.MemberId!, context);
            request = await store.EraseAsync(request, context, ct);
        }
        await store.CompleteAsync(request, await receipts.SignAsync(request, ct), context, ct);
        LogCompleted(request.OrgId, request.Id, request.Kind);
    }

    [LoggerMessage(EventId = 4900, Level = LogLevel.Information, Message = "Privacy request {RequestId} of {OrgId} ({Kind}) completed")]
    private partial void LogCompleted(string orgId, string requestId, string kind);

    [LoggerMessage(EventId = 4901, Level = LogLevel.Warning, Message = "Privacy request {RequestId} of {OrgId} failed: its organisation is gone")]
    private partial void LogFailed(string orgId, string requestId);

    [LoggerMessage(EventId = 4902, Level = LogLevel.Warning, Message = "Privacy request {RequestId} of {OrgId} could not run now; the next tick tries again")]
    private partial void LogRetrying(Exception exception, string orgId, string requestId);
}

using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Taskee.Client.Guards;

/// <summary>A guard's verdict: let through, or refuse with a status and a reason for the problem.</summary>
public sealed record GuardVerdict(bool Allowed, int Status, string Reason, bool ByFailMode = false)
{
    public static readonly GuardVerdict Pass = new(true, 200, "ok");
}

/// <summary>The decisions behind the guards, with the fail mode applied when the control plane cannot be reached.</summary>
public sealed class TaskeeGuard(IOptions<TaskeeClientOptions> options, TaskeeClientMeter meter, ILogger<TaskeeGuard> logger)
{
    public const string Unavailable = "control_plane_unavailable";

    public Task<GuardVerdict> FeatureAsync(TaskeeClient client, string orgId, string feature, CancellationToken ct) =>
        DecideAsync(feature, orgId, async () =>
        {
            var decision = (await client.GetEntitlementsAsync(orgId, ct)).Feature(feature);
            return decision.Enabled ? GuardVerdict.Pass : new GuardVerdict(false, 403, decision.Reason);
        });

    /// <summary>Consumes, or says why not; <see cref="GuardVerdict.ByFailMode"/> when the node was not reached (nothing to release then).</summary>
    public Task<GuardVerdict> ConsumeAsync(TaskeeClient client, string orgId, string metric, long amount, CancellationToken ct) =>
        DecideAsync(metric, orgId, async () =>
        {
            var decision = await client.ConsumeAsync(orgId, metric, amount, ct: ct);
            return decision.Allowed ? GuardVerdict.Pass : new GuardVerdict(false, 429, decision.Reason);
        });

    /// <summary>Gives a gauge's consumption back after a failed handler; a counter's stands.</summary>
    public async Task ReleaseAfterFailureAsync(TaskeeClient client, string orgId, string metric, long amount)
    {
        if (!options.Value.GaugeMetrics.Contains(metric))
        {
            TaskeeClientLog.CounterNotReleased(logger, amount, metric, orgId);
            return;
        }
        try
        {
            // Not the request's token: the request failed or was aborted, and the release must still go out.
            await client.ReleaseAsync(orgId, metric, amount, CancellationToken.None);
        }
        catch (Exception e) when (e is TaskeeUnavailableException or TaskeeProblemException)
        {
            TaskeeClientLog.ReleaseFailed(logger, amount, metric, orgId, e);
        }
    }

    /// <summary>The node's verdict; the fail mode of <paramref name="key"/> when it cannot be reached; 403 for an unknown organisation.</summary>
    private async Task<GuardVerdict> DecideAsync(string key, string orgId, Func<Task<GuardVerdict>> ask)
    {
        try
        {
            return await ask();
        }
        catch (TaskeeUnavailableException e)
        {
            return ByFailMode(key, orgId, e);
        }
        catch (TaskeeProblemException e) when (e.Status == 404)
        {
            return new GuardVerdict(false, 403, "organisation_not_found");
        }
    }

    private GuardVerdict ByFailMode(string key, string orgId, TaskeeUnavailableException e)
    {
        var mode = options.Value.FailModeOf(key);
        TaskeeClientLog.FailMode(logger, key, orgId, mode, e);
        meter.FailModeDecision(key, mode);
        return mode == FailMode.Open ? GuardVerdict.Pass with { ByFailMode = true } : new GuardVerdict(false, 503, Unavailable, ByFailMode: true);
    }
}

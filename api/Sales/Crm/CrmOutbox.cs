using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Taskee.Grains.Jobs;
using Taskee.Grains.Quota;
using Taskee.Grains.Storage;

namespace Taskee.Api.Sales.Crm;

/// <summary>
/// Delivers the CRM outbox: claims due hand-offs in the database (so two silos never send the same one), sends each lead's
/// current state through the configured adapter, and on failure keeps the row with its error and tries again after a
/// back-off (10 s doubling, at most an hour), without end: a hand-off is delivered or visibly waiting, never dropped.
/// Runs as the periodic job <c>crm-outbox</c>; nothing runs while <c>Crm:Provider</c> is <c>none</c>, and the rows wait.
/// </summary>
public sealed class CrmOutbox(
    ILeadStore leads, IEnumerable<ICrmAdapter> adapters, IOptions<CrmOptions> options, NodeIdentity node, TimeProvider clock, ILogger<CrmOutbox> logger)
    : IPeriodicJob
{
    public static readonly TimeSpan FirstRetryDelay = TimeSpan.FromSeconds(10);

    public static readonly TimeSpan MaxRetryDelay = TimeSpan.FromHours(1);

    /// <summary>Longer than the calls of one HubSpot hand-off can take at Crm:Timeout each, so a claim outlives its delivery.</summary>
    public static readonly TimeSpan ClaimLease = TimeSpan.FromMinutes(5);

    private const int BatchSize = 10;

    public string Name => "crm-outbox";

    public TimeSpan Interval => options.Value.DeliveryInterval;

    public bool Enabled => Adapter is not null;

    private ICrmAdapter? Adapter => adapters.FirstOrDefault(a => a.Provider == options.Value.Provider);

    public Task RunAsync(CancellationToken ct) => DeliverDueAsync(ct);

    /// <summary>Delivers what is due until nothing is; returns how many hand-offs were attempted.</summary>
    public async Task<int> DeliverDueAsync(CancellationToken ct = default)
    {
        if (Adapter is not { } adapter) return 0;
        var attempted = 0;
        while (true)
        {
            var batch = await leads.ClaimDueAsync(node.Id, clock.GetUtcNow(), ClaimLease, BatchSize, ct);
            if (batch.Count == 0) return attempted;
            foreach (var item in batch)
            {
                await DeliverAsync(adapter, item, ct);
                attempted++;
            }
        }
    }

    private async Task DeliverAsync(ICrmAdapter adapter, CrmOutboxItem item, CancellationToken ct)
    {
        try
        {
            // The lead's state now, not when the row was written: a retry after later changes sends the latest.
            var lead = await leads.GetAsync(item.LeadId, ct) ?? throw new CrmDeliveryException($"Lead '{item.LeadId}' is not stored.");
            var crmId = await adapter.UpsertAsync(lead, item.Id, ct);
            await leads.CompleteAsync(item, crmId, adapter.Provider, clock.GetUtcNow(), ct);
            SalesLog.CrmDelivered(logger, item.LeadId, item.Id, adapter.Provider, crmId, item.Attempts);
        }
        catch (Exception ex) when (!ct.IsCancellationRequested)
        {
            var next = clock.GetUtcNow() + RetryDelay(item.Attempts);
            SalesLog.CrmDeliveryFailed(logger, ex, item.LeadId, item.Id, adapter.Provider, item.Attempts, next);
            // If this write fails too, the claim runs out and the row is claimed again: still not lost.
            await leads.RetryAsync(item.Id, next, $"Attempt {item.Attempts} failed: {Describe(ex)}", ct);
        }
    }

    private static string Describe(Exception ex) => ex switch
    {
        CrmDeliveryException => ex.Message,
        TaskCanceledException or TimeoutException => "the CRM did not answer within Crm:Timeout.",
        HttpRequestException http => $"the CRM could not be reached ({http.HttpRequestError}): {http.Message}",
        _ => $"{ex.GetType().Name}: {ex.Message}",
    };

    /// <summary>10 s after the first failed attempt, doubling, at most an hour.</summary>
    public static TimeSpan RetryDelay(int attempts)
    {
        var delay = FirstRetryDelay * Math.Pow(2, Math.Clamp(attempts - 1, 0, 20));
        return delay > MaxRetryDelay ? MaxRetryDelay : delay;
    }
}

using Microsoft.Extensions.Logging;
using Taskee.Grains.Jobs;
using Taskee.Grains.Storage;

namespace Taskee.Api.Identity.Saml;

/// <summary>Deletes AuthnRequests that expired unanswered and assertion IDs that could not be replayed anymore, hourly.</summary>
public sealed class SamlPurgeJob(ISamlStore store, TimeProvider clock, ILogger<SamlPurgeJob> logger) : IPeriodicJob
{
    public string Name => "purge-saml-requests";

    public TimeSpan Interval => TimeSpan.FromHours(1);

    public bool Enabled => true;

    public async Task RunAsync(CancellationToken ct)
    {
        var purged = await store.PurgeAsync(clock.GetUtcNow(), ct);
        if (purged > 0) SamlLog.Purged(logger, purged);
    }
}

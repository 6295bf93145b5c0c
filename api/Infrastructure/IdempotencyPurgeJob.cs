using Microsoft.Extensions.Options;
using Taskee.Grains.Jobs;
using Taskee.Grains.Quota;
using Taskee.Grains.Storage;

namespace Taskee.Api.Infrastructure;

/// <summary>Deletes the records of admin Idempotency-Keys and of idempotent consumes past their retention, hourly.</summary>
public sealed class IdempotencyPurgeJob(
    IIdempotencyStore idempotency, IUsageStore usage, IOptions<ApiOptions> api, IOptions<QuotaOptions> quota, TimeProvider clock) : IPeriodicJob
{
    public string Name => "purge-idempotency-keys";

    public TimeSpan Interval => TimeSpan.FromHours(1);

    public bool Enabled => true;

    public async Task RunAsync(CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        await idempotency.PurgeAsync(now - api.Value.IdempotencyRetention, ct);
        await usage.PurgeConsumeKeysAsync(now - quota.Value.IdempotencyRetention, ct);
    }
}

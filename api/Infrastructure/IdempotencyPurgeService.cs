using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Taskee.Grains.Storage;

namespace Taskee.Api.Infrastructure;

/// <summary>Deletes idempotency records past their retention, once an hour.</summary>
public sealed class IdempotencyPurgeService(IIdempotencyStore store, IOptions<ApiOptions> options, StartupGate gate, TimeProvider clock) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromHours(1), clock);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            if (gate.IsOpen) await store.PurgeAsync(clock.GetUtcNow() - options.Value.IdempotencyRetention, stoppingToken);
        }
    }
}

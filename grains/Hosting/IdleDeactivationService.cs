using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Taskee.Grains.Hosting;

/// <summary>Sweeps idle grains a few times per idle timeout.</summary>
public sealed class IdleDeactivationService(GrainDirectory grains, IOptions<GrainOptions> options, TimeProvider clock) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var period = options.Value.IdleTimeout / 4;
        using var timer = new PeriodicTimer(period < TimeSpan.FromMilliseconds(250) ? TimeSpan.FromMilliseconds(250) : period, clock);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            await grains.DeactivateIdleAsync();
        }
    }
}

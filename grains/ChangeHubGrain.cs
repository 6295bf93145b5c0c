using Microsoft.Extensions.Logging;
using Orleans.Utilities;
using Taskee.Grains.Interfaces;
using Taskee.Grains.Storage;

namespace Taskee.Grains;

/// <summary>Fans committed changes out to every silo's observer; see <see cref="IChangeHubGrain"/>.</summary>
internal sealed partial class ChangeHubGrain(ILogger<ChangeHubGrain> logger) : Grain, IChangeHubGrain
{
    /// <summary>Silos renew well within this; a silo that died stops being called after it.</summary>
    public static readonly TimeSpan SubscriptionLifetime = TimeSpan.FromSeconds(30);

    // Bounded: a silo that just died must not hold a change up longer than this.
    private static readonly TimeSpan DeliveryTimeout = TimeSpan.FromSeconds(2);

    private readonly ObserverManager<IClusterChangeObserver> _observers = new(SubscriptionLifetime, logger);
    private readonly Guid _incarnation = Guid.NewGuid();

    public Task<Guid> SubscribeAsync(IClusterChangeObserver observer)
    {
        _observers.Subscribe(observer, observer);
        return Task.FromResult(_incarnation);
    }

    public Task UnsubscribeAsync(IClusterChangeObserver observer)
    {
        _observers.Unsubscribe(observer);
        return Task.CompletedTask;
    }

    public async Task PublishAsync(IReadOnlyList<ChangeNotice> notices)
    {
        var deliveries = _observers.Select(async observer =>
        {
            try
            {
                await observer.OnChangedAsync(notices).WaitAsync(DeliveryTimeout);
            }
            catch (Exception ex)
            {
                // That silo is gone or slow; it re-checks everything when it next renews its subscription.
                LogDeliveryFailed(ex);
            }
        });
        await Task.WhenAll(deliveries);
    }

    [LoggerMessage(EventId = 5101, Level = LogLevel.Warning, Message = "A silo did not take a change notice in time; it re-checks when it renews")]
    private partial void LogDeliveryFailed(Exception exception);
}

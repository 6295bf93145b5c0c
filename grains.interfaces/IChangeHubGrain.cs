using Taskee.Grains.Storage;

namespace Taskee.Grains.Interfaces;

/// <summary>A silo's receiver of committed changes, reached through its grain observer reference.</summary>
[Alias("IClusterChangeObserver")]
public interface IClusterChangeObserver : IGrainObserver
{
    [Alias("OnChanged")]
    Task OnChangedAsync(IReadOnlyList<ChangeNotice> notices);
}

/// <summary>
/// The one place every silo subscribes to (key <see cref="Key"/>) and every committed change is announced through, so
/// each silo's copies (catalog, API keys, identity settings) reload before the writer answers. Subscriptions expire
/// unless renewed; a hub that was re-activated has none, which a silo notices by <see cref="SubscribeAsync"/>'s answer.
/// </summary>
[Alias("IChangeHubGrain")]
public interface IChangeHubGrain : IGrainWithStringKey
{
    public const string Key = "changes";

    /// <summary>Subscribes or renews; returns the hub activation's id, which changes when earlier notices may have been missed.</summary>
    [Alias("Subscribe")]
    Task<Guid> SubscribeAsync(IClusterChangeObserver observer);

    [Alias("Unsubscribe")]
    Task UnsubscribeAsync(IClusterChangeObserver observer);

    /// <summary>Delivers the notices to every subscribed silo and waits (a bounded time) until each has applied them.</summary>
    [Alias("Publish")]
    Task PublishAsync(IReadOnlyList<ChangeNotice> notices);
}

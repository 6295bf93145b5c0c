using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Orleans.Streams;
using Orleans.Streams.Core;
using Taskee.Grains.Interfaces;
using Taskee.Grains.Storage;

namespace Taskee.Grains.Webhooks;

/// <summary>An organisation's webhook dispatcher: woken by every committed audit event of the organisation (implicit subscription).</summary>
[Alias("IWebhookDispatchGrain")]
public interface IWebhookDispatchGrain : IGrainWithStringKey;

/// <summary>
/// Wakes the organisation's enabled endpoints when its audit stream carries an event. The endpoint list is cached briefly
/// (and dropped on any <c>webhook.*</c> event, which may have changed it), so an organisation without endpoints costs one
/// cheap lookup per burst. A stream event lost (memory streams die with their silo) is made up for by the sweep.
/// </summary>
[ImplicitStreamSubscription(ProviderNames.AuditNamespace)]
[GrainType("webhook-dispatch")]
internal sealed partial class WebhookDispatchGrain(IWebhookStore store, ILogger<WebhookDispatchGrain> logger)
    : Grain, IWebhookDispatchGrain, IStreamSubscriptionObserver, IAsyncObserver<AuditEvent>
{
    private static readonly TimeSpan CacheFor = TimeSpan.FromSeconds(10);

    private IReadOnlyList<string>? _enabled;
    private long _loadedAt;

    public Task OnSubscribed(IStreamSubscriptionHandleFactory handleFactory) => handleFactory.Create<AuditEvent>().ResumeAsync(this);

    public async Task OnNextAsync(AuditEvent item, StreamSequenceToken? token = null)
    {
        if (item.Action.StartsWith("webhook.", StringComparison.Ordinal)) _enabled = null;
        if (_enabled is null || Stopwatch.GetElapsedTime(_loadedAt) > CacheFor)
        {
            _enabled = (await store.ListAsync(this.GetPrimaryKeyString())).Where(e => e.Enabled).Select(e => e.Id).ToList();
            _loadedAt = Stopwatch.GetTimestamp();
        }
        foreach (var id in _enabled) await GrainFactory.GetGrain<IWebhookEndpointGrain>(id).WakeAsync(); // one-way: answers at once
    }

    public Task OnCompletedAsync() => Task.CompletedTask;

    public Task OnErrorAsync(Exception ex)
    {
        LogStreamError(ex, this.GetPrimaryKeyString());
        return Task.CompletedTask;
    }

    [LoggerMessage(EventId = 4840, Level = LogLevel.Warning, Message = "The audit stream of {OrgId} failed; the webhook sweep wakes its endpoints")]
    private partial void LogStreamError(Exception exception, string orgId);
}

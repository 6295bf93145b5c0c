using Orleans.Runtime;
using Orleans.Streams;
using Taskee.Api.Auth;
using Taskee.Api.Auth.Jwt;
using Taskee.Api.Infrastructure;
using Taskee.Grains.Catalog;
using Taskee.Grains.Interfaces;
using Taskee.Grains.Quota;
using Taskee.Grains.Storage;

namespace Taskee.Silo.Cluster;

/// <summary>
/// What a commit changed, carried to every silo: notices go through the change hub to each silo's observer (this one
/// first, then the others, before the writer answers); audit events go out on the audit stream. This silo subscribes
/// to the hub and renews; when the hub was re-activated meanwhile, notices may have been missed, so it re-checks
/// everything it holds (catalog by version, API keys, issuers).
/// </summary>
public sealed partial class ClusterChanges(
    IClusterClient cluster,
    StartupGate gate,
    CatalogCache catalog,
    ApiKeyCache keys,
    IdentityCache identity,
    IssuerRegistry issuers,
    ILogger<ClusterChanges> logger) : BackgroundService, ICommitListener, IClusterChangeObserver
{
    private static readonly TimeSpan RenewInterval = TimeSpan.FromSeconds(10);

    private IClusterChangeObserver? _reference;
    private Guid _hubIncarnation;

    private IChangeHubGrain Hub => cluster.GetGrain<IChangeHubGrain>(IChangeHubGrain.Key);

    public async Task CommittedAsync(IReadOnlyList<ChangeNotice> notices, IReadOnlyList<AuditEvent> events)
    {
        foreach (var auditEvent in events) PublishAudit(auditEvent);
        if (notices.Count == 0) return;
        await OnChangedAsync(notices);
        try
        {
            await Hub.PublishAsync(notices);
        }
        catch (Exception ex)
        {
            // Committed all the same; other silos catch up when they renew and find a new hub.
            LogPublishFailed(ex);
        }
    }

    private void PublishAudit(AuditEvent auditEvent)
    {
        var stream = cluster.GetStreamProvider(ProviderNames.AuditStreams)
            .GetStream<AuditEvent>(StreamId.Create(ProviderNames.AuditNamespace, auditEvent.OrgId));
        _ = stream.OnNextAsync(auditEvent).ContinueWith(t => LogAuditPublishFailed(t.Exception!), TaskContinuationOptions.OnlyOnFaulted);
    }

    public async Task OnChangedAsync(IReadOnlyList<ChangeNotice> notices)
    {
        foreach (var notice in notices)
        {
            switch (notice.Kind)
            {
                case ChangeNotice.Catalog when catalog.Current.Version < notice.Version:
                    await catalog.ReloadAsync();
                    break;
                case ChangeNotice.ApiKey:
                    keys.Invalidate(notice.Id);
                    break;
                case ChangeNotice.Identity:
                    identity.Invalidate(notice.Id);
                    await issuers.ReloadAsync(CancellationToken.None);
                    break;
            }
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!gate.IsOpen) await Task.Delay(100, stoppingToken);
        _reference = cluster.CreateObjectReference<IClusterChangeObserver>(this);
        using var timer = new PeriodicTimer(RenewInterval);
        do
        {
            try
            {
                var incarnation = await Hub.SubscribeAsync(_reference);
                if (_hubIncarnation != Guid.Empty && incarnation != _hubIncarnation) await ResyncAsync(stoppingToken);
                _hubIncarnation = incarnation;
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                LogSubscribeFailed(ex);
                _hubIncarnation = Guid.NewGuid(); // whatever answers next is a new hub to us: re-check then
            }
        } while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_reference is not null)
        {
            try
            {
                await Hub.UnsubscribeAsync(_reference).WaitAsync(TimeSpan.FromSeconds(2), cancellationToken);
            }
            catch (Exception ex)
            {
                LogSubscribeFailed(ex); // expires on its own
            }
        }
        await base.StopAsync(cancellationToken);
    }

    private async Task ResyncAsync(CancellationToken ct)
    {
        await catalog.ReloadAsync(ct);
        keys.Clear();
        await issuers.ReloadAsync(ct);
        LogResynced();
    }

    [LoggerMessage(EventId = 5102, Level = LogLevel.Warning, Message = "Could not announce a change to the other silos; they re-check when they renew")]
    private partial void LogPublishFailed(Exception exception);

    [LoggerMessage(EventId = 5103, Level = LogLevel.Warning, Message = "Could not subscribe to cluster changes; retrying")]
    private partial void LogSubscribeFailed(Exception exception);

    [LoggerMessage(EventId = 5104, Level = LogLevel.Information, Message = "The change hub is new: catalog, keys and issuers re-checked")]
    private partial void LogResynced();

    [LoggerMessage(EventId = 5105, Level = LogLevel.Warning, Message = "Could not publish an audit event on the stream; live tails catch up from the log")]
    private partial void LogAuditPublishFailed(Exception exception);
}

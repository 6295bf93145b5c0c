using System.Threading.Channels;
using Npgsql;
using Taskee.Api.Auth;
using Taskee.Api.Auth.Jwt;
using Taskee.Api.Infrastructure;
using Taskee.Grains;
using Taskee.Grains.Catalog;
using Taskee.Grains.Storage;
using Taskee.Silo.Storage;

namespace Taskee.Silo.Cluster;

/// <summary>
/// On PostgreSQL: LISTENs for committed changes of other nodes and reloads what they name, when this node
/// holds an older version. A lost connection is re-opened; after it, everything active here is re-checked
/// by version, so no change is missed. On SQLite (one node) there is nothing to listen to.
/// </summary>
public sealed partial class ChangeListener(
    SqlDialect dialect,
    StartupGate gate,
    GrainDirectory grains,
    CatalogCache catalog,
    IOrganisationStore organisations,
    ApiKeyCache keys,
    IdentityCache identity,
    IssuerRegistry issuers,
    ILogger<ChangeListener> logger) : BackgroundService
{
    private readonly Channel<ChangeNotice> _notices = Channel.CreateUnbounded<ChangeNotice>(new UnboundedChannelOptions { SingleReader = true });

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (dialect is not PostgresDialect postgres) return;
        while (!gate.IsOpen) await Task.Delay(100, stoppingToken);

        var applying = ApplyNoticesAsync(stoppingToken);
        var delay = TimeSpan.FromMilliseconds(200);
        var firstConnection = true;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await using var connection = await postgres.DataSource.OpenConnectionAsync(stoppingToken);
                connection.Notification += (_, e) =>
                {
                    if (ChangeNotice.Parse(e.Payload) is { } notice) _notices.Writer.TryWrite(notice);
                };
                await using (var listen = new NpgsqlCommand($"LISTEN {PostgresDialect.ChangeChannel}", connection))
                    await listen.ExecuteNonQueryAsync(stoppingToken);
                if (!firstConnection) await ResyncAsync(stoppingToken);
                firstConnection = false;
                delay = TimeSpan.FromMilliseconds(200);
                LogListening();
                while (true) await connection.WaitAsync(stoppingToken);
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                firstConnection = false;
                LogConnectionLost(ex, delay);
                await Task.Delay(delay, stoppingToken);
                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, TimeSpan.FromSeconds(5).Ticks));
            }
        }
        await applying;
    }

    private async Task ApplyNoticesAsync(CancellationToken ct)
    {
        await foreach (var notice in _notices.Reader.ReadAllAsync(ct))
        {
            try
            {
                await ApplyAsync(notice, ct);
            }
            catch (Exception ex) when (!ct.IsCancellationRequested)
            {
                LogApplyFailed(ex, notice.Kind, notice.Id);
            }
        }
    }

    private async Task ApplyAsync(ChangeNotice notice, CancellationToken ct)
    {
        switch (notice.Kind)
        {
            case ChangeNotice.Organisation when grains.ActiveVersion(notice.Id) is { } held && held < notice.Version:
                if (await organisations.GetAsync(notice.Id, ct) is { } organisation) await grains.OnChangedAsync(organisation);
                break;
            case ChangeNotice.Catalog when catalog.Current.Version < notice.Version:
                await catalog.ReloadAsync(ct);
                break;
            case ChangeNotice.ApiKey:
                keys.Invalidate(notice.Id);
                break;
            case ChangeNotice.Identity:
                identity.Invalidate(notice.Id);
                await issuers.ReloadAsync(ct);
                break;
        }
    }

    /// <summary>After a reconnect: whatever changed while the connection was down, found by version.</summary>
    private async Task ResyncAsync(CancellationToken ct)
    {
        await catalog.ReloadAsync(ct);
        keys.Clear();
        await issuers.ReloadAsync(ct);
        foreach (var (orgId, version) in grains.ActiveVersions())
        {
            if (await organisations.GetAsync(orgId, ct) is { } organisation && organisation.Version > version)
                await grains.OnChangedAsync(organisation);
        }
        LogResynced();
    }

    [LoggerMessage(EventId = 5101, Level = LogLevel.Information, Message = "Listening for cluster changes")]
    private partial void LogListening();

    [LoggerMessage(EventId = 5102, Level = LogLevel.Warning, Message = "Lost the change-notification connection; reconnecting in {Delay}")]
    private partial void LogConnectionLost(Exception exception, TimeSpan delay);

    [LoggerMessage(EventId = 5103, Level = LogLevel.Information, Message = "Reconnected: catalog, keys and active organisations re-checked by version")]
    private partial void LogResynced();

    [LoggerMessage(EventId = 5104, Level = LogLevel.Warning, Message = "Could not apply change {Kind} {Id}")]
    private partial void LogApplyFailed(Exception exception, string kind, string id);
}

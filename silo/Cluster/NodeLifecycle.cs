using System.Reflection;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Options;
using Taskee.Api.Infrastructure;
using Taskee.Grains.Cluster;
using Taskee.Grains.Hosting;
using Taskee.Grains.Quota;
using Taskee.Grains.Storage;

namespace Taskee.Silo.Cluster;

/// <summary>
/// The node's life in the cluster: heartbeats its row in <c>nodes</c> while it runs; on shutdown turns readiness
/// false first, and once the server has stopped taking requests flushes consumption, returns leases and
/// deregisters.
/// </summary>
public sealed partial class NodeLifecycle(
    INodeRegistry registry,
    NodeIdentity node,
    StartupGate gate,
    QuotaFlushService quota,
    IServer server,
    IOptions<ClusterOptions> options,
    TimeProvider clock,
    ILogger<NodeLifecycle> logger) : BackgroundService, IHostedLifecycleService
{
    public static string Version { get; } =
        typeof(NodeLifecycle).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "0.0.0";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.HeartbeatInterval, clock);
        do
        {
            if (!gate.IsOpen) continue; // the nodes table exists once migrations ran
            try
            {
                await registry.HeartbeatAsync(new NodeRecord(node.Id, Address(), Version, node.StartedAt, clock.GetUtcNow()), stoppingToken);
                await registry.ForgetAsync(clock.GetUtcNow() - TimeSpan.FromDays(1), stoppingToken);
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                LogHeartbeatFailed(ex);
            }
        } while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppingAsync(CancellationToken cancellationToken)
    {
        gate.Close();
        LogStopping(node.Id);
        return Task.CompletedTask;
    }

    // The drain runs once, and every stop waits for it: under a test host the host is stopped twice at once
    // (the factory, and Program's own RunAsync, which disposes the services as soon as its stop returns).
    private readonly Lock _draining = new();
    private Task? _drain;

    public Task StoppedAsync(CancellationToken cancellationToken)
    {
        lock (_draining) return _drain ??= DrainAsync();
    }

    private async Task DrainAsync()
    {
        await quota.FinalFlushAsync();
        try
        {
            await registry.DeregisterAsync(node.Id, CancellationToken.None);
        }
        catch (Exception ex) when (ex is System.Data.Common.DbException or TimeoutException)
        {
            LogHeartbeatFailed(ex); // its row ages out after Cluster:NodeTtl
        }
        LogStopped(node.Id);
    }

    private string Address() =>
        options.Value.AdvertisedAddress
        ?? server.Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault()
        ?? Environment.MachineName;

    [LoggerMessage(EventId = 5001, Level = LogLevel.Warning, Message = "Node heartbeat failed; retrying at the next interval")]
    private partial void LogHeartbeatFailed(Exception exception);

    [LoggerMessage(EventId = 5002, Level = LogLevel.Information, Message = "Node {NodeId} stopping: readiness is false")]
    private partial void LogStopping(string nodeId);

    [LoggerMessage(EventId = 5003, Level = LogLevel.Information, Message = "Node {NodeId} stopped: consumption flushed, leases returned, deregistered")]
    private partial void LogStopped(string nodeId);
}

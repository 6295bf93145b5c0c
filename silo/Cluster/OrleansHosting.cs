using Microsoft.Extensions.DependencyInjection.Extensions;
using System.Net;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Orleans.Dashboard;
using Orleans.Storage;
using Taskee.Grains.Interfaces;
using Taskee.Grains;
using Taskee.Grains.Quota;
using Taskee.Silo.Storage;

namespace Taskee.Silo.Cluster;

public static class OrleansHosting
{
    /// <summary>The ADO.NET invariant of each provider. In 10.4.2 "System.Data.SQLite" loads Microsoft.Data.Sqlite's factory.</summary>
    private static string Invariant(string provider) => provider == StorageOptions.Postgres ? "Npgsql" : "System.Data.SQLite";

    /// <summary>
    /// This process as a client of a running cluster (for commands): on SQLite the local silo's gateway
    /// (<c>Orleans:GatewayPort</c>), on PostgreSQL any silo's, found through ADO.NET clustering.
    /// </summary>
    public static HostApplicationBuilder AddTaskeeOrleansClient(this HostApplicationBuilder builder)
    {
        var orleans = builder.Configuration.GetSection(OrleansOptions.Section).Get<OrleansOptions>() ?? new OrleansOptions();
        var storage = builder.Configuration.GetSection(StorageOptions.Section).Get<StorageOptions>() ?? new StorageOptions();
        builder.UseOrleansClient(client =>
        {
            client.Configure<ClusterOptions>(o =>
            {
                o.ClusterId = orleans.ClusterId;
                o.ServiceId = orleans.ServiceId;
            });
            if (storage.Provider == StorageOptions.Postgres)
            {
                client.UseAdoNetClustering(o =>
                {
                    o.Invariant = Invariant(storage.Provider);
                    o.ConnectionString = storage.EffectiveConnectionString;
                });
            }
            else
            {
                client.UseLocalhostClustering(orleans.GatewayPort, orleans.ServiceId, orleans.ClusterId);
            }
            client.Configure<ClientMessagingOptions>(o => o.ResponseTimeout = orleans.ResponseTimeout);
            client.Configure<GatewayOptions>(o => o.GatewayListRefreshPeriod = TimeSpan.FromSeconds(5));
            client.Services.AddSingleton<IClientConnectionRetryFilter, ClusterConnectRetry>();
        });
        return builder;
    }

    /// <summary>
    /// This process as an Orleans silo co-hosting the API. On SQLite: one silo, development (localhost) clustering, grain
    /// state in the same database file. On PostgreSQL: ADO.NET clustering, grain state and reminders in the shared database.
    /// </summary>
    public static WebApplicationBuilder AddTaskeeOrleans(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<OrleansOptions>().BindConfiguration(OrleansOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<OrleansOptions>, OrleansOptionsValidator>();

        // This silo's identity is its Orleans silo name too, so the one instance is needed here, before the container.
        var node = new NodeIdentity();
        builder.Services.Replace(ServiceDescriptor.Singleton(node));
        builder.UseOrleans(silo =>
        {
            var configuration = builder.Configuration;
            var orleans = configuration.GetSection(OrleansOptions.Section).Get<OrleansOptions>() ?? new OrleansOptions();
            var storage = configuration.GetSection(StorageOptions.Section).Get<StorageOptions>() ?? new StorageOptions();
            var address = IPAddress.TryParse(orleans.AdvertisedIPAddress, out var parsed) ? parsed : IPAddress.Loopback;

            silo.Configure<SiloOptions>(o => o.SiloName = node.Id);
            silo.Configure<ClusterOptions>(o =>
            {
                o.ClusterId = orleans.ClusterId;
                o.ServiceId = orleans.ServiceId;
            });
            if (storage.Provider == StorageOptions.Postgres)
                silo.ConfigureEndpoints(address, orleans.SiloPort, orleans.GatewayPort, listenOnAnyHostAddress: !IPAddress.IsLoopback(address));
            else
                silo.UseLocalhostClustering(orleans.SiloPort, orleans.GatewayPort, serviceId: orleans.ServiceId, clusterId: orleans.ClusterId);
            silo.AddTaskeeProviders(storage, orleans, configuration.GetSection(GrainOptions.Section).Get<GrainOptions>() ?? new GrainOptions());
            silo.AddDashboard();
        });
        return builder;
    }

    /// <summary>
    /// The providers every silo uses, in production and in the TestCluster: on PostgreSQL ADO.NET clustering and
    /// reminders; grain state (usage, stream subscriptions) in the database through Persistence.AdoNet; memory streams
    /// for the audit feed; failure detection and idle collection as configured.
    /// </summary>
    public static ISiloBuilder AddTaskeeProviders(this ISiloBuilder silo, StorageOptions storage, OrleansOptions orleans, GrainOptions grains)
    {
        var connectionString = storage.EffectiveConnectionString;
        var invariant = Invariant(storage.Provider);
        if (storage.Provider == StorageOptions.Postgres)
        {
            silo.UseAdoNetClustering(o =>
            {
                o.Invariant = invariant;
                o.ConnectionString = connectionString;
            });
            silo.UseAdoNetReminderService(o =>
            {
                o.Invariant = invariant;
                o.ConnectionString = connectionString;
            });
        }
        else
        {
            silo.UseInMemoryReminderService(); // one silo: its reminders live and die with it
        }

        foreach (var name in new[] { ProviderNames.UsageStorage, "PubSubStore" })
        {
            silo.AddAdoNetGrainStorage(name, o =>
            {
                o.Invariant = invariant;
                o.ConnectionString = connectionString;
                o.HashPicker = new WholeKeyHashPicker();
            });
            // Orleans' own serializer: version-tolerant by [Id] and [Alias], no .NET type names in the stored bytes.
            silo.Services.AddOptions<AdoNetGrainStorageOptions>(name).Configure<Orleans.Serialization.Serializer>(
                (o, serializer) => o.GrainStorageSerializer = new OrleansGrainStorageSerializer(serializer));
        }
        silo.AddMemoryStreams(ProviderNames.AuditStreams);

        silo.Configure<ClusterMembershipOptions>(o =>
        {
            o.ProbeTimeout = orleans.ProbeTimeout;
            o.NumMissedProbesLimit = orleans.MissedProbesLimit;
            // One suspicion suffices when few silos can vote; a busy silo still answers probes within ProbeTimeout.
            o.NumVotesForDeathDeclaration = 1;
            o.IAmAliveTablePublishTimeout = TimeSpan.FromSeconds(10);
            o.DefunctSiloCleanupPeriod = TimeSpan.FromHours(1);
            o.DefunctSiloExpiration = TimeSpan.FromDays(1);
        });
        silo.Configure<SiloMessagingOptions>(o => o.ResponseTimeout = orleans.ResponseTimeout);
        silo.Configure<GrainCollectionOptions>(o =>
        {
            if (grains.IdleTimeout < TimeSpan.FromSeconds(1)) return; // out of range: Grains:IdleTimeout's own validation says so at start-up
            o.CollectionAge = grains.IdleTimeout;
            o.CollectionQuantum = TimeSpan.FromTicks(Math.Min(grains.IdleTimeout.Ticks, TimeSpan.FromMinutes(1).Ticks));
        });
        return silo;
    }
}

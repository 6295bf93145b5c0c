using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using Orleans.TestingHost;
using Taskee.Api.Identity.Issuer;
using Taskee.Grains;
using Taskee.Silo.Cluster;
using Taskee.Silo.Storage;
using Taskee.Tests.Infrastructure;

namespace Taskee.Tests.Cluster;

/// <summary>
/// Orleans' TestCluster of three silos on the real PostgreSQL that tests/run.sh starts, with the production providers
/// (<see cref="OrleansHosting.AddTaskeeProviders"/>: ADO.NET clustering, grain persistence, reminders) and stores.
/// </summary>
public sealed class OrleansClusterFixture : IAsyncLifetime
{
    public const string ConnectionStringKey = "TestCluster:ConnectionString";

    private TestDatabase? _database;

    public TestCluster Cluster { get; private set; } = null!;

    public TestDatabase Database => _database!;

    public async Task InitializeAsync()
    {
        if (TestDatabase.ConfiguredProvider != "postgres")
            throw new InvalidOperationException("TestCluster tests need TASKEE_TEST_PROVIDER=postgres; tests/run.sh runs them in its PostgreSQL pass.");
        _database = await TestDatabase.CreateAsync();
        await new MigrationRunner(new PostgresDialect(NpgsqlDataSource.Create(_database.ConnectionString)), NullLogger<MigrationRunner>.Instance).MigrateAsync();

        var builder = new TestClusterBuilder(3);
        builder.Options.UseTestClusterMembership = false; // ADO.NET clustering, as in production
        builder.ConfigureHostConfiguration(c => c.AddInMemoryCollection(new Dictionary<string, string?>
        {
            [ConnectionStringKey] = _database.ConnectionString,
        }));
        builder.AddSiloBuilderConfigurator<Silo>();
        builder.AddClientBuilderConfigurator<Client>();
        Cluster = builder.Build();
        await Cluster.DeployAsync();
    }

    public async Task DisposeAsync()
    {
        if (Cluster is not null) await Cluster.DisposeAsync();
        if (_database is not null) await _database.DisposeAsync();
    }

    /// <summary>The grain factory of one silo, as that silo's co-hosted API would use it.</summary>
    public IGrainFactory GrainsOf(SiloHandle silo) => ((InProcessSiloHandle)silo).ServiceProvider.GetRequiredService<IGrainFactory>();

    private sealed class Client : IClientBuilderConfigurator
    {
        public void Configure(IConfiguration configuration, IClientBuilder client) =>
            client.UseAdoNetClustering(o =>
            {
                o.Invariant = "Npgsql";
                o.ConnectionString = configuration[ConnectionStringKey];
            });
    }

    private sealed class Silo : ISiloConfigurator
    {
        public void Configure(ISiloBuilder silo)
        {
            var storage = new StorageOptions { Provider = StorageOptions.Postgres, ConnectionString = silo.Configuration[ConnectionStringKey] };
            var settings = new Dictionary<string, string?>
            {
                ["Storage:Provider"] = storage.Provider,
                ["Storage:ConnectionString"] = storage.ConnectionString,
                // Small reservations make the loss bound on a kill easy to check.
                ["Quota:MaxLease"] = "20",
                ["Quota:FlushInterval"] = "00:00:00.100",
            };
            var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
            silo.Services.AddSingleton<IConfiguration>(configuration);
            silo.Services.AddTaskeeStorage();
            silo.Services.AddTaskeeDataProtection(); // the API's in a real silo; webhook secrets are protected with it
            silo.Services.AddTaskeeGrains();
            silo.AddTaskeeProviders(storage, new OrleansOptions(), new GrainOptions());
        }
    }
}

using Taskee.Tests.Infrastructure;

namespace Taskee.Tests.Cluster;

/// <summary>Three silos in this process on one PostgreSQL database, one Orleans cluster (ADO.NET clustering).</summary>
public sealed class ClusterFixture : IAsyncLifetime
{
    private TestDatabase? _database;

    public TaskeeNode[] Nodes { get; private set; } = [];

    public async Task InitializeAsync()
    {
        if (TestDatabase.ConfiguredProvider != "postgres")
            throw new InvalidOperationException("Cluster tests need TASKEE_TEST_PROVIDER=postgres; tests/run.sh runs them in its PostgreSQL pass.");
        _database = await TestDatabase.CreateAsync();
        var settings = new Dictionary<string, string?>
        {
            ["Quota:FlushInterval"] = "00:00:00.100",
        };
        Nodes = [new TaskeeNode(_database, settings), new TaskeeNode(_database, settings), new TaskeeNode(_database, settings)];
        foreach (var node in Nodes) await node.StartAsync();
    }

    public async Task DisposeAsync()
    {
        foreach (var node in Nodes) await node.DisposeAsync();
        if (_database is not null) await _database.DisposeAsync();
    }
}

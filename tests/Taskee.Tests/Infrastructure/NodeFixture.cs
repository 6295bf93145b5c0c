namespace Taskee.Tests.Infrastructure;

/// <summary>One node on its own fresh database, shared by the tests of a class. Tests create their own organisations.</summary>
public sealed class NodeFixture : IAsyncLifetime
{
    private TestDatabase? _database;

    public TaskeeNode Node { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        _database = await TestDatabase.CreateAsync();
        Node = await new TaskeeNode(_database).StartAsync();
    }

    public async Task DisposeAsync()
    {
        await Node.DisposeAsync();
        if (_database is not null) await _database.DisposeAsync();
    }
}

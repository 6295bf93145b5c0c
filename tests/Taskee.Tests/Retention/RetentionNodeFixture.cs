using Microsoft.Extensions.DependencyInjection;
using Taskee.Grains.Jobs;
using Taskee.Tests.Infrastructure;

namespace Taskee.Tests.Retention;

/// <summary>One node on a fresh database whose wall clock the tests move, and a way to run a periodic job now.</summary>
public sealed class RetentionNodeFixture : IAsyncLifetime
{
    private TestDatabase? _database;

    public ManualClock Clock { get; } = new(DateTimeOffset.UtcNow);

    public TaskeeNode Node { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        _database = await TestDatabase.CreateAsync();
        Node = await new TaskeeNode(_database, clock: Clock).StartAsync();
    }

    public void Advance(TimeSpan by) => Clock.Set(Clock.GetUtcNow() + by);

    /// <summary>Runs the named periodic job once, as its grain timer would.</summary>
    public Task RunJobAsync(string name) =>
        Node.Services.GetServices<IPeriodicJob>().Single(j => j.Name == name).RunAsync(CancellationToken.None);

    public async Task DisposeAsync()
    {
        await Node.DisposeAsync();
        if (_database is not null) await _database.DisposeAsync();
    }
}

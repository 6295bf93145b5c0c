using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using Taskee.Silo.Storage;
using Taskee.Tests.Infrastructure;

namespace Taskee.Tests.Storage;

public sealed class MigrationTests
{
    private static SqlDialect DialectFor(TestDatabase database) => database.Provider == "postgres"
        ? new PostgresDialect(NpgsqlDataSource.Create(database.ConnectionString))
        : new SqliteDialect(database.ConnectionString);

    [Fact]
    public async Task Migrations_apply_once_and_a_second_run_applies_nothing()
    {
        await using var database = await TestDatabase.CreateAsync();
        var runner = new MigrationRunner(DialectFor(database), NullLogger<MigrationRunner>.Instance);

        var first = await runner.MigrateAsync();
        var second = await runner.MigrateAsync();

        Assert.Equal(MigrationRunner.Available(database.Provider).Select(m => m.Name), first);
        Assert.Empty(second);
    }

    [Fact]
    public async Task Nodes_migrating_at_the_same_time_apply_each_file_once()
    {
        await using var database = await TestDatabase.CreateAsync();
        var runners = Enumerable.Range(0, 3).Select(_ => new MigrationRunner(DialectFor(database), NullLogger<MigrationRunner>.Instance));

        var results = await Task.WhenAll(runners.Select(r => r.MigrateAsync()));

        Assert.Equal(MigrationRunner.Available(database.Provider).Count, results.Sum(r => r.Count));
    }

    [Fact]
    public void Both_dialects_have_the_same_numbered_migrations()
    {
        Assert.Equal(
            MigrationRunner.Available("sqlite").Select(m => m.Name),
            MigrationRunner.Available("postgres").Select(m => m.Name));
    }
}

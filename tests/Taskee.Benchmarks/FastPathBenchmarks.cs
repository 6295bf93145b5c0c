using BenchmarkDotNet.Attributes;
using Npgsql;

namespace Taskee.Benchmarks;

/// <summary>
/// The hot path against the naive limiter it replaces: one PostgreSQL <c>UPDATE ... WHERE used + n &lt;= limit</c>
/// per check. Needs TASKEE_BENCH_PG (tests/benchmarks.sh starts a server and sets it).
/// </summary>
[BenchmarkCategory("quota")]
public class FastPathBenchmarks
{
    private BenchNode _node = null!;
    private NpgsqlDataSource _postgres = null!;

    // Synchronous on purpose: the in-process toolchain does not reliably wait for an async setup.
    [GlobalSetup]
    public void Setup() => SetupAsync().GetAwaiter().GetResult();

    [GlobalCleanup]
    public void Cleanup() => CleanupAsync().GetAwaiter().GetResult();

    private async Task SetupAsync()
    {
        _node = await BenchNode.StartAsync();
        var connectionString = Environment.GetEnvironmentVariable("TASKEE_BENCH_PG")
            ?? throw new InvalidOperationException("Set TASKEE_BENCH_PG to a PostgreSQL connection string, or run tests/benchmarks.sh.");
        _postgres = NpgsqlDataSource.Create(connectionString);
        await using var command = _postgres.CreateCommand("""
            DROP TABLE IF EXISTS naive_usage;
            CREATE TABLE naive_usage (org_id TEXT PRIMARY KEY, used BIGINT NOT NULL, quota BIGINT NOT NULL);
            INSERT INTO naive_usage VALUES ('bench', 0, 1000000000000);
            """);
        await command.ExecuteNonQueryAsync();
    }

    private async Task CleanupAsync()
    {
        await _node.DisposeAsync();
        await _postgres.DisposeAsync();
    }

    [Benchmark(Baseline = true, Description = "naive: one PostgreSQL UPDATE per check")]
    public async Task<bool> NaivePostgresUpdate()
    {
        await using var command = _postgres.CreateCommand("UPDATE naive_usage SET used = used + 1 WHERE org_id = 'bench' AND used + 1 <= quota");
        return await command.ExecuteNonQueryAsync() == 1;
    }

    [Benchmark(Description = "grain: TryConsume fast path")]
    public bool GrainTryConsume() => _node.Consume();
}

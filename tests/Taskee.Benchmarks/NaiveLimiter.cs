using Npgsql;

namespace Taskee.Benchmarks;

/// <summary>
/// The limiter the grain replaces: one PostgreSQL <c>UPDATE ... WHERE used + n &lt;= quota</c> per check, on one row.
/// Needs TASKEE_BENCH_PG (tests/benchmarks.sh starts a throwaway server and sets it).
/// </summary>
public sealed class NaiveLimiter : IAsyncDisposable
{
    private readonly NpgsqlDataSource _postgres;

    private NaiveLimiter(NpgsqlDataSource postgres) => _postgres = postgres;

    public static async Task<NaiveLimiter> StartAsync()
    {
        var connectionString = Environment.GetEnvironmentVariable("TASKEE_BENCH_PG")
            ?? throw new InvalidOperationException("Set TASKEE_BENCH_PG to a PostgreSQL connection string, or run tests/benchmarks.sh.");
        var postgres = NpgsqlDataSource.Create(connectionString);
        await using var command = postgres.CreateCommand("""
            DROP TABLE IF EXISTS naive_usage;
            CREATE TABLE naive_usage (org_id TEXT PRIMARY KEY, used BIGINT NOT NULL, quota BIGINT NOT NULL);
            INSERT INTO naive_usage (org_id, used, quota) VALUES ('bench', 0, 1000000000000);
            """);
        await command.ExecuteNonQueryAsync();
        return new NaiveLimiter(postgres);
    }

    public async Task<bool> ConsumeAsync()
    {
        await using var command = _postgres.CreateCommand("UPDATE naive_usage SET used = used + 1 WHERE org_id = 'bench' AND used + 1 <= quota");
        return await command.ExecuteNonQueryAsync() == 1;
    }

    public ValueTask DisposeAsync() => _postgres.DisposeAsync();
}

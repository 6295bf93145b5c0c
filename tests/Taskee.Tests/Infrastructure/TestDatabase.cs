using Npgsql;

namespace Taskee.Tests.Infrastructure;

/// <summary>
/// The real database a test host runs on. <c>TASKEE_TEST_PROVIDER</c> picks the engine (sqlite by default);
/// for postgres, <c>TASKEE_TEST_PG</c> is a connection string to a server (tests/run.sh starts one), and each
/// instance gets a database of its own.
/// </summary>
public sealed class TestDatabase : IAsyncDisposable
{
    public string Provider { get; }
    public string ConnectionString { get; }
    private readonly string? _postgresDatabase;
    private readonly string? _sqliteDirectory;

    private TestDatabase(string provider, string connectionString, string? postgresDatabase, string? sqliteDirectory)
    {
        Provider = provider;
        ConnectionString = connectionString;
        _postgresDatabase = postgresDatabase;
        _sqliteDirectory = sqliteDirectory;
    }

    public static string ConfiguredProvider => Environment.GetEnvironmentVariable("TASKEE_TEST_PROVIDER") ?? "sqlite";

    public static async Task<TestDatabase> CreateAsync()
    {
        if (ConfiguredProvider == "postgres")
        {
            var server = Environment.GetEnvironmentVariable("TASKEE_TEST_PG")
                ?? throw new InvalidOperationException("TASKEE_TEST_PROVIDER=postgres needs TASKEE_TEST_PG, a connection string to a PostgreSQL server; tests/run.sh sets both.");
            var name = "taskee_test_" + Guid.NewGuid().ToString("N")[..16];
            await using (var connection = new NpgsqlConnection(server))
            {
                await connection.OpenAsync();
                await using var create = new NpgsqlCommand($"CREATE DATABASE {name}", connection);
                await create.ExecuteNonQueryAsync();
            }
            var builder = new NpgsqlConnectionStringBuilder(server) { Database = name };
            return new TestDatabase("postgres", builder.ConnectionString, name, null);
        }

        var directory = Path.Combine(Path.GetTempPath(), "taskee-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        return new TestDatabase("sqlite", $"Data Source={Path.Combine(directory, "taskee.db")}", null, directory);
    }

    public async ValueTask DisposeAsync()
    {
        if (_postgresDatabase is not null)
        {
            NpgsqlConnection.ClearAllPools();
            await using var connection = new NpgsqlConnection(Environment.GetEnvironmentVariable("TASKEE_TEST_PG"));
            await connection.OpenAsync();
            await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS {_postgresDatabase} WITH (FORCE)", connection);
            await drop.ExecuteNonQueryAsync();
        }
        if (_sqliteDirectory is not null)
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            try { Directory.Delete(_sqliteDirectory, recursive: true); } catch (IOException) { /* a temp dir; the OS cleans it */ }
        }
    }
}

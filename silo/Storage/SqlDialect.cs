using System.Data.Common;
using Microsoft.Data.Sqlite;
using Dapper;
using Npgsql;
using Taskee.Grains.Interfaces;
using Taskee.Grains.Storage;

namespace Taskee.Silo.Storage;

/// <summary>What differs between the two engines; the SQL itself is shared wherever it can be.</summary>
public abstract class SqlDialect
{
    public abstract string Name { get; }

    /// <summary>Row lock for read-modify-write. SQLite needs none: its write transactions are exclusive.</summary>
    public abstract string ForUpdate { get; }

    public abstract ValueTask<DbConnection> OpenAsync(CancellationToken ct);

    public abstract bool IsUniqueViolation(DbException exception);

    /// <summary>
    /// <paramref name="expression"/> is one of the list parameter <paramref name="parameter"/> (pass an array): Dapper
    /// expands <c>IN @p</c> on SQLite, but hands Npgsql the array whole, which PostgreSQL compares with <c>= ANY</c>.
    /// </summary>
    public abstract string InList(string expression, string parameter);

    /// <summary>A binary column (BLOB on SQLite, BYTEA on PostgreSQL) read as UTF-8 text, to search it with LIKE.</summary>
    public abstract string BytesAsText(string column);

    /// <summary>Transient failures (connection lost, server restarting, serialisation conflict) worth a retry.</summary>
    public abstract bool IsTransient(DbException exception);

    /// <summary>Told after each commit what it changed (set once at composition; by default nobody listens).</summary>
    public ICommitListener CommitListener { get; set; } = NoListener.Instance;

    /// <summary>Seals the personal fields of each audit event before it is hashed (set once at composition; none: stored as given).</summary>
    public AuditSealer? AuditSealer { get; set; }

    /// <summary>
    /// Announces a change to every silo once the running transaction commits (nothing for a rolled-back one).
    /// The connection and transaction name the transaction it belongs to.
    /// </summary>
    public Task NotifyAsync(DbConnection connection, DbTransaction transaction, ChangeNotice notice)
    {
        (TransactionScope.Current.Value ?? throw new InvalidOperationException("NotifyAsync outside InTransactionAsync.")).Notices.Add(notice);
        return Task.CompletedTask;
    }

    private sealed class NoListener : ICommitListener
    {
        public static readonly NoListener Instance = new();
        public Task CommittedAsync(IReadOnlyList<ChangeNotice> notices, IReadOnlyList<AuditEvent> events) => Task.CompletedTask;
    }
}

public sealed class SqliteDialect : SqlDialect
{
    // https://www.sqlite.org/rescode.html: SQLITE_CONSTRAINT_PRIMARYKEY 1555, SQLITE_CONSTRAINT_UNIQUE 2067.
    private const int SqliteConstraintPrimaryKey = 1555;
    private const int SqliteConstraintUnique = 2067;
    private const int SqliteBusy = 5;
    private const int SqliteLocked = 6;

    private readonly string _connectionString;

    public SqliteDialect(string connectionString)
    {
        var builder = new SqliteConnectionStringBuilder(connectionString);
        var directory = Path.GetDirectoryName(Path.GetFullPath(builder.DataSource));
        if (!string.IsNullOrEmpty(directory)) Directory.CreateDirectory(directory);
        _connectionString = builder.ToString();
    }

    public override string Name => StorageOptions.Sqlite;

    public override string ForUpdate => "";

    public override async ValueTask<DbConnection> OpenAsync(CancellationToken ct)
    {
        var connection = new SqliteConnection(_connectionString);
        await connection.OpenAsync(ct);
        return connection;
    }

    public override string InList(string expression, string parameter) => $"{expression} IN @{parameter}";

    public override string BytesAsText(string column) => $"CAST({column} AS TEXT)";

    public override bool IsUniqueViolation(DbException exception) =>
        exception is SqliteException { SqliteExtendedErrorCode: SqliteConstraintPrimaryKey or SqliteConstraintUnique };

    public override bool IsTransient(DbException exception) =>
        exception is SqliteException { SqliteErrorCode: SqliteBusy or SqliteLocked };
}

public sealed class PostgresDialect(NpgsqlDataSource dataSource) : SqlDialect
{
    public override string Name => StorageOptions.Postgres;

    public override string ForUpdate => " FOR UPDATE";

    public NpgsqlDataSource DataSource => dataSource;

    public override async ValueTask<DbConnection> OpenAsync(CancellationToken ct) => await dataSource.OpenConnectionAsync(ct);

    public override string InList(string expression, string parameter) => $"{expression} = ANY(@{parameter})";

    public override string BytesAsText(string column) => $"convert_from({column}, 'UTF8')";

    public override bool IsUniqueViolation(DbException exception) =>
        exception is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation };

    public override bool IsTransient(DbException exception) => exception.IsTransient;
}

namespace Taskee.Silo.Storage;

/// <summary>Configuration section <c>Storage</c>.</summary>
public sealed class StorageOptions
{
    public const string Section = "Storage";
    public const string Sqlite = "sqlite";
    public const string Postgres = "postgres";

    /// <summary><c>sqlite</c> (embedded, one node; the default) or <c>postgres</c> (required for a cluster).</summary>
    public string Provider { get; set; } = Sqlite;

    /// <summary>ADO.NET connection string; for SQLite it defaults to <c>Data Source=data/taskee.db</c>.</summary>
    public string? ConnectionString { get; set; }

    public const string DefaultSqliteConnectionString = "Data Source=data/taskee.db";

    public string EffectiveConnectionString =>
        string.IsNullOrWhiteSpace(ConnectionString) && Provider == Sqlite ? DefaultSqliteConnectionString : ConnectionString ?? "";
}

using System.Data.Common;
using System.Reflection;
using Dapper;
using Microsoft.Extensions.Logging;

namespace Taskee.Silo.Storage;

/// <summary>
/// Applies the numbered SQL files of the dialect (embedded under Storage/Migrations/{dialect}/) that
/// the database has not seen, each in its own transaction, recording them in <c>schema_version</c>.
/// On PostgreSQL an advisory lock keeps nodes that start together from applying one file twice.
/// </summary>
public sealed partial class MigrationRunner(SqlDialect dialect, ILogger<MigrationRunner> logger)
{
    // Any fixed number: the advisory lock's key for "schema migration in progress".
    private const long PostgresMigrationLockKey = 0x7461736B6565;

    public sealed record Migration(int Version, string Name, string Sql);

    public static IReadOnlyList<Migration> Available(string dialectName)
    {
        var assembly = typeof(MigrationRunner).Assembly;
        var prefix = $"{assembly.GetName().Name}.Storage.Migrations.{dialectName}.";
        return assembly.GetManifestResourceNames()
            .Where(n => n.StartsWith(prefix, StringComparison.Ordinal) && n.EndsWith(".sql", StringComparison.Ordinal))
            .Select(n =>
            {
                var file = n[prefix.Length..];
                using var reader = new StreamReader(assembly.GetManifestResourceStream(n)!);
                return new Migration(int.Parse(file[..file.IndexOf('_')]), file, reader.ReadToEnd());
            })
            .OrderBy(m => m.Version)
            .ToList();
    }

    /// <summary>Applies what is missing; returns the names applied now.</summary>
    public async Task<IReadOnlyList<string>> MigrateAsync(CancellationToken ct = default)
    {
        await using var connection = await dialect.OpenAsync(ct);
        if (dialect is SqliteDialect)
        {
            // Readers never block the writer, and the file survives a crash of the process.
            await connection.ExecuteAsync("PRAGMA journal_mode=WAL;");
        }
        else
        {
            await connection.ExecuteAsync("SELECT pg_advisory_lock(@key)", new { key = PostgresMigrationLockKey });
        }

        try
        {
            await connection.ExecuteAsync(
                "CREATE TABLE IF NOT EXISTS schema_version (version BIGINT NOT NULL PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)");
            var applied = (await connection.QueryAsync<long>("SELECT version FROM schema_version")).ToHashSet();

            var appliedNow = new List<string>();
            foreach (var migration in Available(dialect.Name).Where(m => !applied.Contains(m.Version)))
            {
                await ApplyAsync(connection, migration, ct);
                appliedNow.Add(migration.Name);
            }
            return appliedNow;
        }
        finally
        {
            if (dialect is PostgresDialect)
                await connection.ExecuteAsync("SELECT pg_advisory_unlock(@key)", new { key = PostgresMigrationLockKey });
        }
    }

    private async Task ApplyAsync(DbConnection connection, Migration migration, CancellationToken ct)
    {
        await using var transaction = await connection.BeginTransactionAsync(ct);
        await connection.ExecuteAsync(migration.Sql, transaction: transaction);
        await connection.ExecuteAsync(
            "INSERT INTO schema_version (version, name, applied_at) VALUES (@Version, @Name, @At)",
            new { migration.Version, migration.Name, At = Iso.ToText(DateTimeOffset.UtcNow) }, transaction);
        await transaction.CommitAsync(ct);
        LogApplied(migration.Name, dialect.Name);
    }

    [LoggerMessage(EventId = 1001, Level = LogLevel.Information, Message = "Applied migration {Migration} on {Dialect}")]
    private partial void LogApplied(string migration, string dialect);
}

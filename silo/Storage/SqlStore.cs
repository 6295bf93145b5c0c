using System.Data.Common;

namespace Taskee.Silo.Storage;

/// <summary>Connection and transaction plumbing shared by the stores.</summary>
public abstract class SqlStore(SqlDialect dialect)
{
    protected SqlDialect Dialect { get; } = dialect;

    protected ValueTask<DbConnection> OpenAsync(CancellationToken ct) => Dialect.OpenAsync(ct);

    /// <summary>Runs <paramref name="work"/> in one transaction; commits only when it returns without throwing.</summary>
    protected async Task<T> InTransactionAsync<T>(Func<DbConnection, DbTransaction, Task<T>> work, CancellationToken ct,
        [System.Runtime.CompilerServices.CallerMemberName] string operation = "")
    {
        using var activity = StorageTelemetry.Source.StartActivity($"{GetType().Name}.{operation}", System.Diagnostics.ActivityKind.Client);
        activity?.SetTag("db.system", Dialect.Name);
        await using var connection = await OpenAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        var result = await work(connection, transaction);
        await transaction.CommitAsync(ct);
        return result;
    }
}

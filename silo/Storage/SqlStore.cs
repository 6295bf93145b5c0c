using System.Data.Common;
using Dapper;
using Taskee.Grains.Interfaces;
using Taskee.Grains.Storage;

namespace Taskee.Silo.Storage;

/// <summary>Connection and transaction plumbing shared by the stores.</summary>
public abstract class SqlStore(SqlDialect dialect)
{
    protected SqlDialect Dialect { get; } = dialect;

    protected ValueTask<DbConnection> OpenAsync(CancellationToken ct) => Dialect.OpenAsync(ct);

    /// <summary>
    /// Runs <paramref name="work"/> in one transaction; commits only when it returns without throwing. What it announced
    /// (<see cref="SqlDialect.NotifyAsync"/>) and the audit events it appended go to the commit listener after the commit,
    /// never for a rolled-back change.
    /// </summary>
    protected async Task<T> InTransactionAsync<T>(Func<DbConnection, DbTransaction, Task<T>> work, CancellationToken ct,
        [System.Runtime.CompilerServices.CallerMemberName] string operation = "")
    {
        using var activity = StorageTelemetry.Source.StartActivity($"{GetType().Name}.{operation}", System.Diagnostics.ActivityKind.Client);
        activity?.SetTag("db.system", Dialect.Name);
        var outer = TransactionScope.Current.Value;
        var scope = new TransactionScope();
        TransactionScope.Current.Value = scope;
        try
        {
            T result;
            await using (var connection = await OpenAsync(ct))
            await using (var transaction = await connection.BeginTransactionAsync(ct))
            {
                result = await work(connection, transaction);
                await transaction.CommitAsync(ct);
            }
            if (scope.Notices.Count > 0 || scope.Events.Count > 0) await Dialect.CommitListener.CommittedAsync(scope.Notices, scope.Events);
            return result;
        }
        finally
        {
            TransactionScope.Current.Value = outer;
        }
    }

    /// <summary>
    /// Locks the organisation's row for the rest of the transaction (SQLite: the write transaction already does), so two
    /// member changes of one organisation never both take the last seat; false when there is no such organisation.
    /// </summary>
    protected async Task<bool> LockOrganisationAsync(DbConnection connection, DbTransaction transaction, string orgId) =>
        await connection.QuerySingleOrDefaultAsync<string>(
            $"SELECT id FROM organisations WHERE id = @orgId{Dialect.ForUpdate}", new { orgId }, transaction) is not null;
}

/// <summary>What the running transaction of this async flow announced and appended.</summary>
internal sealed class TransactionScope
{
    public static readonly AsyncLocal<TransactionScope?> Current = new();

    public List<ChangeNotice> Notices { get; } = [];
    public List<AuditEvent> Events { get; } = [];
}

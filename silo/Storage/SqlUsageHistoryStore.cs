using System.Globalization;
using Dapper;
using Taskee.Grains.Interfaces;
using Taskee.Grains.Storage;

namespace Taskee.Silo.Storage;

/// <summary>Daily usage on SQL: one row per organisation, metric and UTC day, merged on conflict (sum or highest).</summary>
public sealed class SqlUsageHistoryStore(SqlDialect dialect) : SqlStore(dialect), IUsageHistoryStore
{
    private const string DayFormat = "yyyy-MM-dd";

    private sealed class DayRow
    {
        public string Metric { get; set; } = "";
        public string Day { get; set; } = "";
        public long Amount { get; set; }
    }

    public Task RecordAsync(string orgId, IReadOnlyCollection<UsageDay> days, CancellationToken ct = default) =>
        days.Count == 0 ? Task.CompletedTask : InTransactionAsync(async (connection, transaction) =>
        {
            foreach (var group in days.GroupBy(d => Metrics.KindOf(d.Metric)))
            {
                var merge = group.Key == MetricKind.Periodic
                    ? "usage_history.amount + excluded.amount"
                    : "CASE WHEN excluded.amount > usage_history.amount THEN excluded.amount ELSE usage_history.amount END";
                await connection.ExecuteAsync(new CommandDefinition(
                    $"""
                    INSERT INTO usage_history (org_id, metric, day, amount) VALUES (@orgId, @Metric, @Day, @Amount)
                    ON CONFLICT (org_id, metric, day) DO UPDATE SET amount = {merge}
                    """,
                    group.Select(d => new { orgId, d.Metric, Day = d.Day.ToString(DayFormat, CultureInfo.InvariantCulture), d.Amount }).ToList(),
                    transaction, cancellationToken: ct));
            }
            return 0;
        }, ct);

    public async Task<IReadOnlyList<UsageDay>> ListAsync(string orgId, string metric, DateOnly from, DateOnly to, CancellationToken ct = default)
    {
        await using var connection = await OpenAsync(ct);
        var rows = await connection.QueryAsync<DayRow>(new CommandDefinition(
            """
            SELECT metric, day, amount FROM (
                SELECT metric, day, amount FROM usage_history
                WHERE org_id = @orgId AND metric = @metric AND day < @from
                ORDER BY day DESC LIMIT 1) earlier
            UNION ALL
            SELECT metric, day, amount FROM usage_history
            WHERE org_id = @orgId AND metric = @metric AND day >= @from AND day <= @to
            ORDER BY day
            """,
            new { orgId, metric, from = from.ToString(DayFormat, CultureInfo.InvariantCulture), to = to.ToString(DayFormat, CultureInfo.InvariantCulture) },
            cancellationToken: ct));
        return rows.Select(r => new UsageDay(r.Metric, DateOnly.ParseExact(r.Day, DayFormat, CultureInfo.InvariantCulture), r.Amount)).ToList();
    }
}

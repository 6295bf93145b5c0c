using System.Data.Common;
using System.Text.Json;
using Dapper;
using Taskee.Grains.Interfaces;
using Taskee.Grains.Storage;

namespace Taskee.Silo.Storage;

/// <summary>
/// The 75/90/100 % events of a counter, written once each per period inside the caller's transaction: by the usage
/// flush, by members added by an admin, and by members provisioned over SCIM alike.
/// </summary>
internal static class QuotaThresholds
{
    private static readonly int[] Thresholds = [75, 90, 100];
    private static readonly ChangeContext QuotaActor = new(AuditActor.System, RequestId: null, Ip: null);

    /// <summary>Writes the thresholds <paramref name="used"/> reached that were not written yet; returns the highest reached.</summary>
    public static async Task<int> RecordAsync(DbConnection connection, DbTransaction transaction, SqlDialect dialect,
        CounterKey key, long used, long limit, DateTimeOffset now)
    {
        if (limit <= 0) return 0;
        var reached = 0;
        foreach (var threshold in Thresholds)
        {
            if ((decimal)used * 100 < (decimal)threshold * limit) break;
            reached = threshold;
            var inserted = await connection.ExecuteAsync(
                "INSERT INTO quota_thresholds (org_id, metric, period, threshold) VALUES (@OrgId, @Metric, @Period, @threshold) ON CONFLICT DO NOTHING",
                new { key.OrgId, key.Metric, key.Period, threshold }, transaction);
            if (inserted == 0) continue;

            var after = JsonSerializer.Serialize(new { metric = key.Metric, period = key.Period, threshold, consumed = used, limit });
            var action = threshold == 100 ? "quota.exhausted" : "quota.threshold_reached";
            await AuditAppender.AppendAsync(connection, transaction, dialect, key.OrgId,
                new AuditRecord(action, $"organisations/{key.OrgId}/usage/{key.Metric}", null, after), QuotaActor, now);
        }
        return reached;
    }
}

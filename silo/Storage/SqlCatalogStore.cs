using System.Data.Common;
using Dapper;
using Taskee.Grains.Catalog;
using Taskee.Grains.Interfaces;
using Taskee.Grains.Storage;

namespace Taskee.Silo.Storage;

public sealed class SqlCatalogStore(SqlDialect dialect, TimeProvider clock) : SqlStore(dialect), ICatalogStore
{
    private sealed class PlanRow
    {
        public string Id { get; set; } = "";
        public string Name { get; set; } = "";
        public long Custom { get; set; }
        public string Limits { get; set; } = "{}";
        public string Features { get; set; } = "[]";
        public string Policies { get; set; } = "{}";
        public string StripePriceIds { get; set; } = "[]";
        public long Version { get; set; }
        public int? AuditRetentionDays { get; set; }

        public Plan ToPlan() => new(Id, Name, Custom != 0, StoredJson.ReadMap<long>(Limits), StoredJson.ReadSet(Features),
            StoredJson.ReadMap<string>(Policies), Version)
        {
            StripePriceIds = StoredJson.ReadSet(StripePriceIds),
            AuditRetentionDays = AuditRetentionDays,
        };
    }

    private sealed class FlagRow
    {
        public string Key { get; set; } = "";
        public long Enabled { get; set; }
        public long RolloutBasisPoints { get; set; }
        public string Plans { get; set; } = "[]";
        public string AllowList { get; set; } = "[]";
        public string DenyList { get; set; } = "[]";
        public long Version { get; set; }

        public Flag ToFlag() => new(Key, Enabled != 0, RolloutBasisPoints / 100m,
            StoredJson.ReadSet(Plans), StoredJson.ReadSet(AllowList), StoredJson.ReadSet(DenyList), Version);
    }

    private const string PlanColumns = "id, name, custom, limits, features, policies, version, stripe_price_ids, audit_retention_days";
    private const string FlagColumns = "key, enabled, rollout_basis_points, plans, allow_list, deny_list, version";

    public async Task<CatalogSnapshot> LoadAsync(CancellationToken ct = default)
    {
        await using var connection = await OpenAsync(ct);
        // One transaction, so plans, flags and the version belong together.
        await using var transaction = await connection.BeginTransactionAsync(ct);
        var version = await connection.ExecuteScalarAsync<long>("SELECT version FROM catalog_version WHERE id = 1", transaction: transaction);
        var plans = await connection.QueryAsync<PlanRow>($"SELECT {PlanColumns} FROM plans", transaction: transaction);
        var flags = await connection.QueryAsync<FlagRow>($"SELECT {FlagColumns} FROM flags", transaction: transaction);
        await transaction.CommitAsync(ct);
        return new CatalogSnapshot(plans.Select(p => p.ToPlan()), flags.Select(f => f.ToFlag()), version);
    }

    public Task<WriteResult<Plan>> UpsertPlanAsync(
        Plan plan, Func<Plan?, Plan, AuditRecord?> describe, ChangeContext context, CancellationToken ct = default) =>
        InTransactionAsync(async (connection, transaction) =>
        {
            var current = (await connection.QuerySingleOrDefaultAsync<PlanRow>(
                $"SELECT {PlanColumns} FROM plans WHERE id = @Id{Dialect.ForUpdate}", new { plan.Id }, transaction))?.ToPlan();
            var updated = plan with { Version = (current?.Version ?? 0) + 1 };
            if (describe(current, updated) is not { } audit) return new WriteResult<Plan>(WriteStatus.Unchanged, current);

            const string upsert = $"""
                INSERT INTO plans ({PlanColumns}) VALUES (@Id, @Name, @Custom, @Limits, @Features, @Policies, @Version, @StripePriceIds, @AuditRetentionDays)
                ON CONFLICT (id) DO UPDATE SET name = excluded.name, custom = excluded.custom, limits = excluded.limits,
                    features = excluded.features, policies = excluded.policies, version = excluded.version,
                    stripe_price_ids = excluded.stripe_price_ids, audit_retention_days = excluded.audit_retention_days
                """;
            await connection.ExecuteAsync(upsert, new
            {
                updated.Id, updated.Name, Custom = updated.Custom ? 1L : 0L,
                Limits = StoredJson.Write(updated.Limits), Features = StoredJson.Write(updated.Features),
                Policies = StoredJson.Write(updated.Policies), updated.Version, StripePriceIds = StoredJson.Write(updated.StripePriceIds),
                updated.AuditRetentionDays,
            }, transaction);
            await BumpCatalogVersionAsync(connection, transaction, audit, context);
            return new WriteResult<Plan>(WriteStatus.Done, updated);
        }, ct);

    public Task<WriteResult<Flag>> UpsertFlagAsync(
        Flag flag, Func<Flag?, Flag, AuditRecord?> describe, ChangeContext context, CancellationToken ct = default) =>
        InTransactionAsync(async (connection, transaction) =>
        {
            var current = (await connection.QuerySingleOrDefaultAsync<FlagRow>(
                $"SELECT {FlagColumns} FROM flags WHERE key = @Key{Dialect.ForUpdate}", new { flag.Key }, transaction))?.ToFlag();
            var updated = flag with { Version = (current?.Version ?? 0) + 1 };
            if (describe(current, updated) is not { } audit) return new WriteResult<Flag>(WriteStatus.Unchanged, current);

            const string upsert = $"""
                INSERT INTO flags ({FlagColumns}) VALUES (@Key, @Enabled, @RolloutBasisPoints, @Plans, @AllowList, @DenyList, @Version)
                ON CONFLICT (key) DO UPDATE SET enabled = excluded.enabled, rollout_basis_points = excluded.rollout_basis_points,
                    plans = excluded.plans, allow_list = excluded.allow_list, deny_list = excluded.deny_list, version = excluded.version
                """;
            await connection.ExecuteAsync(upsert, new
            {
                updated.Key, Enabled = updated.Enabled ? 1L : 0L, RolloutBasisPoints = (long)(updated.RolloutPercent * 100m),
                Plans = StoredJson.Write(updated.Plans), AllowList = StoredJson.Write(updated.Allow),
                DenyList = StoredJson.Write(updated.Deny), updated.Version,
            }, transaction);
            await BumpCatalogVersionAsync(connection, transaction, audit, context);
            return new WriteResult<Flag>(WriteStatus.Done, updated);
        }, ct);

    private async Task BumpCatalogVersionAsync(DbConnection connection, DbTransaction transaction, AuditRecord audit, ChangeContext context)
    {
        var version = await connection.ExecuteScalarAsync<long>(
            "UPDATE catalog_version SET version = version + 1 WHERE id = 1 RETURNING version", transaction: transaction);
        await AuditAppender.AppendAsync(connection, transaction, Dialect, AuditEvent.PlatformChain, audit, context, clock.GetUtcNow());
        await Dialect.NotifyAsync(connection, transaction, new ChangeNotice(ChangeNotice.Catalog, "catalog", version));
    }
}

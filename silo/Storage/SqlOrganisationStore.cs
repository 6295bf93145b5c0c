using System.Data.Common;
using Dapper;
using Taskee.Grains.Interfaces;
using Taskee.Grains.Storage;

namespace Taskee.Silo.Storage;

public sealed class SqlOrganisationStore(SqlDialect dialect, TimeProvider clock) : SqlStore(dialect), IOrganisationStore
{
    private const string Columns =
        "id, name, plan_id, status, limit_overrides, feature_overrides, billing_anchor, version, created_at, updated_at, "
        + "billing, stripe_customer_id, billing_due_at";

    private sealed class OrganisationRow
    {
        public string Id { get; set; } = "";
        public string Name { get; set; } = "";
        public string PlanId { get; set; } = "";
        public string Status { get; set; } = "";
        public string LimitOverrides { get; set; } = "{}";
        public string FeatureOverrides { get; set; } = "{}";
        public string? BillingAnchor { get; set; }
        public long Version { get; set; }
        public string CreatedAt { get; set; } = "";
        public string UpdatedAt { get; set; } = "";
        public string? Billing { get; set; }
        public string? StripeCustomerId { get; set; }
        public string? BillingDueAt { get; set; }

        public Organisation ToOrganisation() => new(
            Id, Name, PlanId, Status,
            StoredJson.ReadMap<long>(LimitOverrides),
            StoredJson.ReadMap<bool>(FeatureOverrides),
            Iso.ParseOrNull(BillingAnchor),
            Version,
            Iso.Parse(CreatedAt),
            Iso.Parse(UpdatedAt))
        {
            Billing = StoredJson.ReadOrNull<OrganisationBilling>(Billing),
        };
    }

    private static object Parameters(Organisation o) => new
    {
        o.Id, o.Name, o.PlanId, o.Status,
        LimitOverrides = StoredJson.Write(o.LimitOverrides),
        FeatureOverrides = StoredJson.Write(o.FeatureOverrides),
        BillingAnchor = Iso.ToText(o.BillingAnchor),
        o.Version,
        CreatedAt = Iso.ToText(o.CreatedAt),
        UpdatedAt = Iso.ToText(o.UpdatedAt),
        Billing = o.Billing is null ? null : StoredJson.Write(o.Billing),
        StripeCustomerId = o.Billing?.CustomerId,
        BillingDueAt = Iso.ToText(o.Billing?.DueAt),
    };

    public async Task<WriteResult<Organisation>> CreateAsync(
        Organisation organisation, Func<Organisation, AuditRecord> audit, ChangeContext context, CancellationToken ct = default)
    {
        var now = clock.GetUtcNow();
        var stored = organisation with { Version = 1, CreatedAt = Truncate(now), UpdatedAt = Truncate(now) };
        try
        {
            return await InTransactionAsync(async (connection, transaction) =>
            {
                const string insert = $"""
                    INSERT INTO organisations ({Columns})
                    VALUES (@Id, @Name, @PlanId, @Status, @LimitOverrides, @FeatureOverrides, @BillingAnchor, @Version, @CreatedAt, @UpdatedAt,
                            @Billing, @StripeCustomerId, @BillingDueAt)
                    """;
                await connection.ExecuteAsync(insert, Parameters(stored), transaction);
                await AuditAppender.AppendAsync(connection, transaction, Dialect, stored.Id, audit(stored), context, now);
                return new WriteResult<Organisation>(WriteStatus.Done, stored);
            }, ct);
        }
        catch (DbException ex) when (Dialect.IsUniqueViolation(ex))
        {
            return new WriteResult<Organisation>(WriteStatus.Conflict, null);
        }
    }

    public async Task<Organisation?> GetAsync(string orgId, CancellationToken ct = default)
    {
        await using var connection = await OpenAsync(ct);
        var row = await connection.QuerySingleOrDefaultAsync<OrganisationRow>(
            new CommandDefinition($"SELECT {Columns} FROM organisations WHERE id = @orgId", new { orgId }, cancellationToken: ct));
        return row?.ToOrganisation();
    }

    public async Task<IReadOnlyList<Organisation>> ListAsync(string? afterId, int limit, CancellationToken ct = default)
    {
        await using var connection = await OpenAsync(ct);
        var rows = await connection.QueryAsync<OrganisationRow>(new CommandDefinition(
            $"SELECT {Columns} FROM organisations WHERE id > @afterId ORDER BY id LIMIT @limit",
            new { afterId = afterId ?? "", limit }, cancellationToken: ct));
        return rows.Select(r => r.ToOrganisation()).ToList();
    }

    public async Task<WriteResult<Organisation>> UpdateAsync(
        string orgId, long? expectedVersion, Func<Organisation, OrganisationChange?> change, ChangeContext context, CancellationToken ct = default)
    {
        try
        {
            return await InTransactionAsync(async (connection, transaction) =>
            {
                var row = await connection.QuerySingleOrDefaultAsync<OrganisationRow>(
                    $"SELECT {Columns} FROM organisations WHERE id = @orgId{Dialect.ForUpdate}", new { orgId }, transaction);
                if (row is null) return WriteResult<Organisation>.NotFound;

                var current = row.ToOrganisation();
                if (expectedVersion is { } expected && expected != current.Version)
                    return new WriteResult<Organisation>(WriteStatus.VersionMismatch, current);

                if (change(current) is not { } outcome) return new WriteResult<Organisation>(WriteStatus.Unchanged, current);

                var now = clock.GetUtcNow();
                var updated = outcome.Updated with { Id = current.Id, Version = current.Version + 1, CreatedAt = current.CreatedAt, UpdatedAt = Truncate(now) };
                const string update = """
                    UPDATE organisations
                    SET name = @Name, plan_id = @PlanId, status = @Status, limit_overrides = @LimitOverrides,
                        feature_overrides = @FeatureOverrides, billing_anchor = @BillingAnchor, version = @Version, updated_at = @UpdatedAt,
                        billing = @Billing, stripe_customer_id = @StripeCustomerId, billing_due_at = @BillingDueAt
                    WHERE id = @Id
                    """;
                await connection.ExecuteAsync(update, Parameters(updated), transaction);
                await AuditAppender.AppendAsync(connection, transaction, Dialect, current.Id, outcome.Audit(updated), context, now);
                await Dialect.NotifyAsync(connection, transaction, new ChangeNotice(ChangeNotice.Organisation, updated.Id, updated.Version));
                return new WriteResult<Organisation>(WriteStatus.Done, updated);
            }, ct);
        }
        catch (DbException ex) when (Dialect.IsUniqueViolation(ex))
        {
            // The Stripe customer is linked to another organisation already: nothing was written.
            return new WriteResult<Organisation>(WriteStatus.Conflict, null);
        }
    }

    /// <summary>Storage keeps milliseconds; the returned value must equal what a later read gives.</summary>
    private static DateTimeOffset Truncate(DateTimeOffset t) => Iso.Parse(Iso.ToText(t));
}

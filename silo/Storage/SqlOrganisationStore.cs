using System.Data.Common;
using Dapper;
using Taskee.Grains.Interfaces;
using Taskee.Grains.Storage;

namespace Taskee.Silo.Storage;

public sealed class SqlOrganisationStore(SqlDialect dialect, TimeProvider clock) : SqlStore(dialect), IOrganisationStore
{
    private const string Columns =
        "id, name, plan_id, status, limit_overrides, feature_overrides, billing_anchor, version, created_at, updated_at, "
        + "billing, stripe_customer_id, billing_due_at, audit_retention_days, offboarding_requested_at, offboarding_delete_after";

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
        public int? AuditRetentionDays { get; set; }
        public string? OffboardingRequestedAt { get; set; }
        public string? OffboardingDeleteAfter { get; set; }

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
            AuditRetentionDays = AuditRetentionDays,
            Offboarding = OffboardingRequestedAt is null || OffboardingDeleteAfter is null ? null
                : new OrganisationOffboarding(Iso.Parse(OffboardingRequestedAt), Iso.Parse(OffboardingDeleteAfter)),
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
        o.AuditRetentionDays,
        OffboardingRequestedAt = Iso.ToText(o.Offboarding?.RequestedAt),
        OffboardingDeleteAfter = Iso.ToText(o.Offboarding?.DeleteAfter),
    };

    public async Task<WriteResult<Organisation>> CreateAsync(
        Organisation organisation, AuditRecord audit, ChangeContext context, CancellationToken ct = default)
    {
        try
        {
            return await InTransactionAsync(async (connection, transaction) =>
            {
                const string insert = $"""
                    INSERT INTO organisations ({Columns})
                    VALUES (@Id, @Name, @PlanId, @Status, @LimitOverrides, @FeatureOverrides, @BillingAnchor, @Version, @CreatedAt, @UpdatedAt,
                            @Billing, @StripeCustomerId, @BillingDueAt, @AuditRetentionDays,
                            @OffboardingRequestedAt, @OffboardingDeleteAfter)
                    """;
                await connection.ExecuteAsync(insert, Parameters(organisation), transaction);
                await AuditAppender.AppendAsync(connection, transaction, Dialect, organisation.Id, audit, context, clock.GetUtcNow());
                return new WriteResult<Organisation>(WriteStatus.Done, organisation);
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

    public async Task<WriteResult<Organisation>> CommitAsync(
        long baseVersion, Organisation updated, AuditRecord audit, ChangeContext context, CancellationToken ct = default)
    {
        try
        {
            return await InTransactionAsync(async (connection, transaction) =>
            {
                const string update = """
                    UPDATE organisations
                    SET name = @Name, plan_id = @PlanId, status = @Status, limit_overrides = @LimitOverrides,
                        feature_overrides = @FeatureOverrides, billing_anchor = @BillingAnchor, version = @Version, updated_at = @UpdatedAt,
                        billing = @Billing, stripe_customer_id = @StripeCustomerId, billing_due_at = @BillingDueAt,
                        audit_retention_days = @AuditRetentionDays, offboarding_requested_at = @OffboardingRequestedAt,
                        offboarding_delete_after = @OffboardingDeleteAfter
                    WHERE id = @Id AND version = @BaseVersion
                    """;
                var parameters = new DynamicParameters(Parameters(updated));
                parameters.Add("BaseVersion", baseVersion);
                if (await connection.ExecuteAsync(update, parameters, transaction) == 0)
                {
                    var row = await connection.QuerySingleOrDefaultAsync<OrganisationRow>(
                        $"SELECT {Columns} FROM organisations WHERE id = @Id", new { updated.Id }, transaction);
                    return row is null ? WriteResult<Organisation>.NotFound : new WriteResult<Organisation>(WriteStatus.VersionMismatch, row.ToOrganisation());
                }
                await AuditAppender.AppendAsync(connection, transaction, Dialect, updated.Id, audit, context, clock.GetUtcNow());
                return new WriteResult<Organisation>(WriteStatus.Done, updated);
            }, ct);
        }
        catch (DbException ex) when (Dialect.IsUniqueViolation(ex))
        {
            // The Stripe customer is linked to another organisation already: nothing was written.
            return new WriteResult<Organisation>(WriteStatus.Conflict, null);
        }
    }
}

using Dapper;
using Taskee.Grains.Storage;

namespace Taskee.Silo.Storage;

public sealed class SqlBillingStore(SqlDialect dialect) : SqlStore(dialect), IBillingStore
{
    public async Task<string?> FindByCustomerAsync(string customerId, CancellationToken ct = default)
    {
        await using var connection = await OpenAsync(ct);
        return await connection.QuerySingleOrDefaultAsync<string>(new CommandDefinition(
            "SELECT id FROM organisations WHERE stripe_customer_id = @customerId", new { customerId }, cancellationToken: ct));
    }

    public async Task<string?> FindByObjectAsync(string objectId, CancellationToken ct = default)
    {
        await using var connection = await OpenAsync(ct);
        return await connection.QuerySingleOrDefaultAsync<string>(new CommandDefinition(
            "SELECT org_id FROM stripe_links WHERE object_id = @objectId", new { objectId }, cancellationToken: ct));
    }

    public async Task RememberAsync(IEnumerable<string> objectIds, string orgId, DateTimeOffset now, CancellationToken ct = default)
    {
        const string insert = """
            INSERT INTO stripe_links (object_id, org_id, created_at) VALUES (@objectId, @orgId, @now)
            ON CONFLICT (object_id) DO NOTHING
            """;
        await using var connection = await OpenAsync(ct);
        foreach (var objectId in objectIds.Distinct(StringComparer.Ordinal))
        {
            await connection.ExecuteAsync(new CommandDefinition(insert, new { objectId, orgId, now = Iso.ToText(now) }, cancellationToken: ct));
        }
    }

    public async Task<IReadOnlyList<string>> ListDueAsync(DateTimeOffset now, int limit, CancellationToken ct = default)
    {
        await using var connection = await OpenAsync(ct);
        var ids = await connection.QueryAsync<string>(new CommandDefinition(
            "SELECT id FROM organisations WHERE billing_due_at <= @now ORDER BY billing_due_at, id LIMIT @limit",
            new { now = Iso.ToText(now), limit }, cancellationToken: ct));
        return ids.ToList();
    }

    public async Task<IReadOnlyList<LinkedOrganisation>> ListLinkedAsync(string? afterId, int limit, CancellationToken ct = default)
    {
        const string sql = """
            SELECT id AS OrgId, stripe_customer_id AS CustomerId FROM organisations
            WHERE stripe_customer_id IS NOT NULL AND id > @afterId
            ORDER BY id
            LIMIT @limit
            """;
        await using var connection = await OpenAsync(ct);
        var rows = await connection.QueryAsync<LinkedOrganisation>(new CommandDefinition(sql, new { afterId = afterId ?? "", limit }, cancellationToken: ct));
        return rows.ToList();
    }

    public async Task<int> CountLinkedAsync(CancellationToken ct = default)
    {
        await using var connection = await OpenAsync(ct);
        return (int)await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            "SELECT COUNT(*) FROM organisations WHERE stripe_customer_id IS NOT NULL", cancellationToken: ct));
    }

    public async Task<bool> TryStartJobAsync(string job, DateTimeOffset now, TimeSpan interval, CancellationToken ct = default)
    {
        await using var connection = await OpenAsync(ct);
        await connection.ExecuteAsync(new CommandDefinition(
            "INSERT INTO billing_jobs (name, last_started_at) VALUES (@job, @never) ON CONFLICT (name) DO NOTHING",
            new { job, never = Iso.ToText(DateTimeOffset.UnixEpoch) }, cancellationToken: ct));
        var started = await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE billing_jobs SET last_started_at = @now WHERE name = @job AND last_started_at <= @before",
            new { job, now = Iso.ToText(now), before = Iso.ToText(now - interval) }, cancellationToken: ct));
        return started == 1;
    }
}

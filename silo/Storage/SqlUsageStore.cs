using System.Data.Common;
using Dapper;
using Taskee.Grains.Interfaces;
using Taskee.Grains.Storage;

namespace Taskee.Silo.Storage;

/// <summary>
/// Members, idempotent consume keys and quota threshold events on SQL. Member changes lock the organisation's row
/// (SQLite: the write transaction), so two adds of one organisation never both take the last seat.
/// </summary>
public sealed class SqlUsageStore(SqlDialect dialect, TimeProvider clock) : SqlStore(dialect), IUsageStore
{
    private sealed class ConsumeKeyRow
    {
        public string Metric { get; set; } = "";
        public long Amount { get; set; }
        public long Allowed { get; set; }
    }

    public async Task<ConsumeKeyRecord?> FindConsumeKeyAsync(string orgId, string idempotencyKey, CancellationToken ct = default)
    {
        await using var connection = await OpenAsync(ct);
        var row = await connection.QuerySingleOrDefaultAsync<ConsumeKeyRow>(new CommandDefinition(
            "SELECT metric, amount, allowed FROM consume_keys WHERE org_id = @orgId AND idempotency_key = @idempotencyKey",
            new { orgId, idempotencyKey }, cancellationToken: ct));
        return row is null ? null : new ConsumeKeyRecord(row.Metric, row.Amount, row.Allowed != 0);
    }

    public async Task<bool> AddConsumeKeyAsync(string orgId, string idempotencyKey, ConsumeKeyRecord record, CancellationToken ct = default)
    {
        await using var connection = await OpenAsync(ct);
        return await connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO consume_keys (org_id, idempotency_key, metric, amount, allowed, created_at)
            VALUES (@orgId, @idempotencyKey, @Metric, @Amount, @allowed, @createdAt)
            ON CONFLICT (org_id, idempotency_key) DO NOTHING
            """,
            new { orgId, idempotencyKey, record.Metric, record.Amount, allowed = record.Allowed ? 1L : 0L, createdAt = Iso.ToText(clock.GetUtcNow()) },
            cancellationToken: ct)) == 1;
    }

    public async Task<int> PurgeConsumeKeysAsync(DateTimeOffset olderThan, CancellationToken ct = default)
    {
        await using var connection = await OpenAsync(ct);
        return await connection.ExecuteAsync(new CommandDefinition(
            "DELETE FROM consume_keys WHERE created_at < @olderThan", new { olderThan = Iso.ToText(olderThan) }, cancellationToken: ct));
    }

    public Task<int> RecordThresholdsAsync(CounterKey key, long used, long limit, CancellationToken ct = default) =>
        InTransactionAsync((connection, transaction) => RecordThresholdsAsync(connection, transaction, key, used, limit), ct);

    public Task<(SeatChange Result, long Seats)> AddMemberAsync(Member member, long seatLimit, ChangeContext context, CancellationToken ct = default) =>
        InTransactionAsync(async (connection, transaction) =>
        {
            if (!await LockOrganisationAsync(connection, transaction, member.OrgId)) return (SeatChange.NoSuchOrganisation, 0L);
            var seats = await MemberRows.CountAsync(connection, transaction, member.OrgId);
            if (await MemberRows.FindAsync(connection, transaction, member.OrgId, member.UserId) is not null) return (SeatChange.AlreadyMember, seats);
            if (seats + 1 > seatLimit) return (SeatChange.SeatLimitReached, seats);

            await MemberRows.AddAsync(connection, transaction, Dialect, member, context, clock.GetUtcNow());
            await RecordThresholdsAsync(connection, transaction, new CounterKey(member.OrgId, Metrics.Seats, ""), seats + 1, seatLimit);
            return (SeatChange.Done, seats + 1);
        }, ct);

    public Task<(SeatChange Result, long Seats)> RemoveMemberAsync(string orgId, string userId, ChangeContext context, CancellationToken ct = default) =>
        InTransactionAsync(async (connection, transaction) =>
        {
            await LockOrganisationAsync(connection, transaction, orgId);
            if (await MemberRows.FindAsync(connection, transaction, orgId, userId) is not { } removed)
                return (SeatChange.NotMember, await MemberRows.CountAsync(connection, transaction, orgId));
            await MemberRows.RemoveAsync(connection, transaction, Dialect, orgId, removed, context, clock.GetUtcNow());
            return (SeatChange.Done, await MemberRows.CountAsync(connection, transaction, orgId));
        }, ct);

    public Task<SeatChange> ChangeMemberRoleAsync(string orgId, string userId, string role, ChangeContext context, CancellationToken ct = default) =>
        InTransactionAsync(async (connection, transaction) =>
        {
            if (!await LockOrganisationAsync(connection, transaction, orgId)) return SeatChange.NoSuchOrganisation;
            var changed = await MemberRows.SetRoleAsync(connection, transaction, Dialect, orgId, userId, role, context, clock.GetUtcNow());
            return changed is null ? SeatChange.NotMember : SeatChange.Done;
        }, ct);

    public Task<MemberRoleResult> SetMemberRoleAsync(string orgId, MemberRoleRequest request, ChangeContext context, CancellationToken ct = default) =>
        InTransactionAsync(async (connection, transaction) =>
        {
            var version = await connection.QuerySingleOrDefaultAsync<long?>(
                $"SELECT version FROM organisations WHERE id = @orgId{Dialect.ForUpdate}", new { orgId }, transaction);
            if (version is not { } current) return new MemberRoleResult(MemberRoleStatus.NoSuchOrganisation, null, 0);
            MemberRoleResult Refused(MemberRoleStatus status) => new(status, null, current);
            if (request.ExpectedVersion is { } expected && expected != current) return Refused(MemberRoleStatus.VersionMismatch);
            if (await MemberRows.FindAsync(connection, transaction, orgId, request.UserId) is not { } member) return Refused(MemberRoleStatus.NotMember);
            if (!await MemberRows.RoleExistsAsync(connection, transaction, orgId, request.Role)) return Refused(MemberRoleStatus.UnknownRole);
            if (member.Role == request.Role) return new MemberRoleResult(MemberRoleStatus.Done, await MemberRows.GetAsync(connection, transaction, orgId, request.UserId), current);

            var touchesOwner = member.Role == MemberRoles.Owner || request.Role == MemberRoles.Owner;
            if (touchesOwner && !request.MayChangeOwners) return Refused(MemberRoleStatus.OwnerChangeNotAllowed);
            if (member.Role == MemberRoles.Owner && await MemberRows.CountOwnersAsync(connection, transaction, orgId) == 1) return Refused(MemberRoleStatus.LastOwner);

            var now = clock.GetUtcNow();
            await MemberRows.SetRoleAsync(connection, transaction, Dialect, orgId, request.UserId, request.Role, context, now);
            await connection.ExecuteAsync("UPDATE organisations SET version = version + 1, updated_at = @updatedAt WHERE id = @orgId",
                new { orgId, updatedAt = Iso.ToText(OrganisationStamp.ToMilliseconds(now)) }, transaction);
            return new MemberRoleResult(MemberRoleStatus.Done, await MemberRows.GetAsync(connection, transaction, orgId, request.UserId), current + 1);
        }, ct);

    public async Task<long> CountMembersAsync(string orgId, CancellationToken ct = default)
    {
        await using var connection = await OpenAsync(ct);
        return await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            "SELECT COUNT(*) FROM members WHERE org_id = @orgId", new { orgId }, cancellationToken: ct));
    }

    public async Task<IReadOnlyList<Member>> ListMembersAsync(string orgId, CancellationToken ct = default)
    {
        await using var connection = await OpenAsync(ct);
        var rows = await connection.QueryAsync<MemberRows.StoredRow>(new CommandDefinition(
            $"SELECT {MemberRows.StoredColumns} FROM members WHERE org_id = @orgId ORDER BY user_id",
            new { orgId }, cancellationToken: ct));
        return rows.Select(r => r.ToMember()).ToList();
    }

    private Task<int> RecordThresholdsAsync(DbConnection connection, DbTransaction transaction, CounterKey key, long used, long limit) =>
        QuotaThresholds.RecordAsync(connection, transaction, Dialect, key, used, limit, clock.GetUtcNow());
}

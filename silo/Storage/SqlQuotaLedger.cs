using System.Data.Common;
using System.Text.Json;
using Dapper;
using Taskee.Grains.Interfaces;
using Taskee.Grains.Storage;

namespace Taskee.Silo.Storage;

/// <summary>
/// The usage ledger on SQL. Every operation on a counter first locks its <c>usage</c> row (SQLite: the write
/// transaction), so operations on one counter are serialised and lock in one order (no deadlocks).
/// </summary>
public sealed class SqlQuotaLedger(SqlDialect dialect, TimeProvider clock) : SqlStore(dialect), IQuotaLedger
{
    private static readonly int[] Thresholds = [75, 90, 100];
    private static readonly ChangeContext LedgerActor = new(AuditActor.System, RequestId: null, Ip: null);

    private sealed class LeaseRow
    {
        public string Holder { get; set; } = "";
        public long Epoch { get; set; }
        public long Amount { get; set; }
    }

    private sealed class ConsumeKeyRow
    {
        public string Metric { get; set; } = "";
        public long Amount { get; set; }
        public long Allowed { get; set; }
    }

    public Task<LeaseGrant> AcquireAsync(CounterKey key, string holder, long epoch, long need, long desired, long limit, bool soft,
        int shareDivisor, TimeSpan ttl, CancellationToken ct = default) =>
        InTransactionAsync(async (connection, transaction) =>
        {
            var now = clock.GetUtcNow();
            var totals = await LockCounterAsync(connection, transaction, key);
            await ReclaimExpiredOnCounterAsync(connection, transaction, key, now);

            var own = await connection.QuerySingleOrDefaultAsync<LeaseRow>(
                "SELECT holder, epoch, amount FROM leases WHERE org_id = @OrgId AND metric = @Metric AND period = @Period AND holder = @holder",
                new { key.OrgId, key.Metric, key.Period, holder }, transaction);
            var previousEpoch = Math.Max(epoch, own?.Epoch ?? 0);
            if (own is not null && own.Epoch != epoch)
            {
                // A lease the holder no longer knows about (it expired locally): its unreported part counts as consumed.
                await SettleAsConsumedAsync(connection, transaction, key, own);
                own = null;
            }

            totals = await ReadTotalsAsync(connection, transaction, key);
            var effectiveLimit = soft ? long.MaxValue / 4 : limit;
            var available = effectiveLimit - totals.Consumed - totals.Leased;
            var grant = available >= need ? Math.Min(available, Math.Max(need, Math.Min(desired, available / Math.Max(1, shareDivisor)))) : 0;

            var leaseEpoch = own?.Epoch ?? 0;
            if (grant > 0)
            {
                // The one atomic statement that keeps the global limit: the grant fits or nothing changes.
                var granted = await connection.ExecuteAsync(
                    "UPDATE usage SET leased = leased + @grant WHERE org_id = @OrgId AND metric = @Metric AND period = @Period AND consumed + leased + @grant <= @effectiveLimit",
                    new { grant, key.OrgId, key.Metric, key.Period, effectiveLimit }, transaction);
                if (granted == 1)
                {
                    var expiresAt = Iso.ToText(now + ttl);
                    if (own is not null)
                    {
                        await connection.ExecuteAsync(
                            "UPDATE leases SET amount = amount + @grant, expires_at = @expiresAt WHERE org_id = @OrgId AND metric = @Metric AND period = @Period AND holder = @holder",
                            new { grant, expiresAt, key.OrgId, key.Metric, key.Period, holder }, transaction);
                    }
                    else
                    {
                        // Never reuses an epoch of this holder, so a late report for a settled lease is always fenced.
                        leaseEpoch = Math.Max(previousEpoch + 1, now.UtcTicks);
                        await connection.ExecuteAsync(
                            "INSERT INTO leases (org_id, metric, period, holder, epoch, amount, expires_at) VALUES (@OrgId, @Metric, @Period, @holder, @leaseEpoch, @grant, @expiresAt)",
                            new { key.OrgId, key.Metric, key.Period, holder, leaseEpoch, grant, expiresAt }, transaction);
                    }
                }
                else
                {
                    grant = 0;
                }
            }

            totals = await ReadTotalsAsync(connection, transaction, key);
            await RecordThresholdsAsync(connection, transaction, key, totals.Consumed, limit, now);
            return new LeaseGrant(grant, leaseEpoch, totals);
        }, ct);

    public Task<ReportOutcome> ReportAsync(CounterKey key, string holder, long epoch, long used, long returned, bool renew, long limit,
        TimeSpan ttl, CancellationToken ct = default) =>
        InTransactionAsync(async (connection, transaction) =>
        {
            var now = clock.GetUtcNow();
            var totals = await LockCounterAsync(connection, transaction, key);
            var lease = await connection.QuerySingleOrDefaultAsync<LeaseRow>(
                "SELECT holder, epoch, amount FROM leases WHERE org_id = @OrgId AND metric = @Metric AND period = @Period AND holder = @holder",
                new { key.OrgId, key.Metric, key.Period, holder }, transaction);
            if (lease is null || lease.Epoch != epoch)
            {
                // Reclaimed while the holder was away: the whole lease was already counted as consumed.
                return new ReportOutcome(true, totals);
            }

            var settled = Math.Min(used + returned, lease.Amount);
            var consumed = Math.Min(used, settled);
            await connection.ExecuteAsync(
                "UPDATE usage SET consumed = consumed + @consumed, leased = leased - @settled WHERE org_id = @OrgId AND metric = @Metric AND period = @Period",
                new { consumed, settled, key.OrgId, key.Metric, key.Period }, transaction);

            var left = lease.Amount - settled;
            if (left == 0)
            {
                await connection.ExecuteAsync(
                    "DELETE FROM leases WHERE org_id = @OrgId AND metric = @Metric AND period = @Period AND holder = @holder",
                    new { key.OrgId, key.Metric, key.Period, holder }, transaction);
            }
            else
            {
                var sql = renew
                    ? "UPDATE leases SET amount = @left, expires_at = @expiresAt WHERE org_id = @OrgId AND metric = @Metric AND period = @Period AND holder = @holder"
                    : "UPDATE leases SET amount = @left WHERE org_id = @OrgId AND metric = @Metric AND period = @Period AND holder = @holder";
                await connection.ExecuteAsync(sql, new { left, expiresAt = Iso.ToText(now + ttl), key.OrgId, key.Metric, key.Period, holder }, transaction);
            }

            totals = await ReadTotalsAsync(connection, transaction, key);
            await RecordThresholdsAsync(connection, transaction, key, totals.Consumed, limit, now);
            return new ReportOutcome(false, totals);
        }, ct);

    public async Task<OnceOutcome> ConsumeOnceAsync(CounterKey key, string idempotencyKey, long amount, long limit, bool soft, CancellationToken ct = default)
    {
        try
        {
            return await ConsumeOnceInTransactionAsync(key, idempotencyKey, amount, limit, soft, ct);
        }
        catch (DbException ex) when (Dialect.IsUniqueViolation(ex))
        {
            // The same key arrived at the same moment for another metric's counter: the retry sees its row.
            return await ConsumeOnceInTransactionAsync(key, idempotencyKey, amount, limit, soft, ct);
        }
    }

    private Task<OnceOutcome> ConsumeOnceInTransactionAsync(CounterKey key, string idempotencyKey, long amount, long limit, bool soft, CancellationToken ct) =>
        InTransactionAsync(async (connection, transaction) =>
        {
            var now = clock.GetUtcNow();
            var totals = await LockCounterAsync(connection, transaction, key);
            var earlier = await connection.QuerySingleOrDefaultAsync<ConsumeKeyRow>(
                "SELECT metric, amount, allowed FROM consume_keys WHERE org_id = @OrgId AND idempotency_key = @idempotencyKey",
                new { key.OrgId, idempotencyKey }, transaction);
            if (earlier is not null)
            {
                var sameRequest = earlier.Metric == key.Metric && earlier.Amount == amount;
                return new OnceOutcome(earlier.Allowed != 0, Replayed: sameRequest, KeyConflict: !sameRequest, totals);
            }

            await ReclaimExpiredOnCounterAsync(connection, transaction, key, now);
            var effectiveLimit = soft ? long.MaxValue / 4 : limit;
            var allowed = await connection.ExecuteAsync(
                "UPDATE usage SET consumed = consumed + @amount WHERE org_id = @OrgId AND metric = @Metric AND period = @Period AND consumed + leased + @amount <= @effectiveLimit",
                new { amount, key.OrgId, key.Metric, key.Period, effectiveLimit }, transaction) == 1;
            await connection.ExecuteAsync(
                "INSERT INTO consume_keys (org_id, idempotency_key, metric, amount, allowed, created_at) VALUES (@OrgId, @idempotencyKey, @Metric, @amount, @allowedFlag, @createdAt)",
                new { key.OrgId, idempotencyKey, key.Metric, amount, allowedFlag = allowed ? 1L : 0L, createdAt = Iso.ToText(now) }, transaction);

            totals = await ReadTotalsAsync(connection, transaction, key);
            await RecordThresholdsAsync(connection, transaction, key, totals.Consumed, limit, now);
            return new OnceOutcome(allowed, Replayed: false, KeyConflict: false, totals);
        }, ct);

    public Task<LedgerTotals> ReleaseAsync(CounterKey key, long amount, CancellationToken ct = default) =>
        InTransactionAsync(async (connection, transaction) =>
        {
            await LockCounterAsync(connection, transaction, key);
            await connection.ExecuteAsync(
                "UPDATE usage SET consumed = CASE WHEN consumed >= @amount THEN consumed - @amount ELSE 0 END WHERE org_id = @OrgId AND metric = @Metric AND period = @Period",
                new { amount, key.OrgId, key.Metric, key.Period }, transaction);
            return await ReadTotalsAsync(connection, transaction, key);
        }, ct);

    public async Task<LedgerTotals> ReadAsync(CounterKey key, CancellationToken ct = default)
    {
        await using var connection = await OpenAsync(ct);
        var rows = await connection.QueryAsync<LedgerTotals>(new CommandDefinition(
            "SELECT consumed AS Consumed, leased AS Leased FROM usage WHERE org_id = @OrgId AND metric = @Metric AND period = @Period",
            new { key.OrgId, key.Metric, key.Period }, cancellationToken: ct));
        return rows.FirstOrDefault();
    }

    public async Task<int> ReclaimExpiredAsync(CancellationToken ct = default)
    {
        IReadOnlyList<CounterKey> counters;
        await using (var connection = await OpenAsync(ct))
        {
            counters = (await connection.QueryAsync<(string, string, string)>(new CommandDefinition(
                "SELECT DISTINCT org_id, metric, period FROM leases WHERE expires_at <= @now",
                new { now = Iso.ToText(clock.GetUtcNow()) }, cancellationToken: ct))).Select(r => new CounterKey(r.Item1, r.Item2, r.Item3)).ToList();
        }

        var reclaimed = 0;
        foreach (var key in counters)
        {
            reclaimed += await InTransactionAsync(async (connection, transaction) =>
            {
                await LockCounterAsync(connection, transaction, key);
                return await ReclaimExpiredOnCounterAsync(connection, transaction, key, clock.GetUtcNow());
            }, ct);
        }
        return reclaimed;
    }

    public async Task<int> PurgeConsumeKeysAsync(DateTimeOffset olderThan, CancellationToken ct = default)
    {
        await using var connection = await OpenAsync(ct);
        return await connection.ExecuteAsync(new CommandDefinition(
            "DELETE FROM consume_keys WHERE created_at < @olderThan", new { olderThan = Iso.ToText(olderThan) }, cancellationToken: ct));
    }

    public Task<(SeatChange Result, LedgerTotals Seats)> AddMemberAsync(Member member, long seatLimit, ChangeContext context, CancellationToken ct = default) =>
        InTransactionAsync(async (connection, transaction) =>
        {
            var key = new CounterKey(member.OrgId, Metrics.Seats, "");
            if (!await OrganisationExistsAsync(connection, transaction, member.OrgId)) return (SeatChange.NoSuchOrganisation, default(LedgerTotals));
            var totals = await LockCounterAsync(connection, transaction, key);
            var exists = await connection.ExecuteScalarAsync<long>(
                "SELECT COUNT(*) FROM members WHERE org_id = @OrgId AND user_id = @UserId", new { member.OrgId, member.UserId }, transaction);
            if (exists > 0) return (SeatChange.AlreadyMember, totals);

            var taken = await connection.ExecuteAsync(
                "UPDATE usage SET consumed = consumed + 1 WHERE org_id = @OrgId AND metric = @Metric AND period = @Period AND consumed + leased + 1 <= @seatLimit",
                new { key.OrgId, key.Metric, key.Period, seatLimit }, transaction);
            if (taken == 0) return (SeatChange.SeatLimitReached, totals);

            var now = clock.GetUtcNow();
            await connection.ExecuteAsync(
                "INSERT INTO members (org_id, user_id, email, role, added_at) VALUES (@OrgId, @UserId, @Email, @Role, @AddedAt)",
                new { member.OrgId, member.UserId, member.Email, member.Role, AddedAt = Iso.ToText(member.AddedAt) }, transaction);
            var after = JsonSerializer.Serialize(new { userId = member.UserId, email = member.Email, role = member.Role });
            await AuditAppender.AppendAsync(connection, transaction, Dialect, member.OrgId,
                new AuditRecord("member.added", $"organisations/{member.OrgId}/members/{member.UserId}", null, after), context, now);

            totals = await ReadTotalsAsync(connection, transaction, key);
            await RecordThresholdsAsync(connection, transaction, key, totals.Consumed, seatLimit, now);
            return (SeatChange.Done, totals);
        }, ct);

    public Task<(SeatChange Result, LedgerTotals Seats)> RemoveMemberAsync(string orgId, string userId, ChangeContext context, CancellationToken ct = default) =>
        InTransactionAsync(async (connection, transaction) =>
        {
            var key = new CounterKey(orgId, Metrics.Seats, "");
            var totals = await LockCounterAsync(connection, transaction, key);
            var removed = await connection.QuerySingleOrDefaultAsync<MemberRow>(
                "SELECT org_id, user_id, email, role, added_at FROM members WHERE org_id = @orgId AND user_id = @userId",
                new { orgId, userId }, transaction);
            if (removed is null) return (SeatChange.NotMember, totals);

            await connection.ExecuteAsync("DELETE FROM members WHERE org_id = @orgId AND user_id = @userId", new { orgId, userId }, transaction);
            await connection.ExecuteAsync(
                "UPDATE usage SET consumed = CASE WHEN consumed > 0 THEN consumed - 1 ELSE 0 END WHERE org_id = @OrgId AND metric = @Metric AND period = @Period",
                new { key.OrgId, key.Metric, key.Period }, transaction);
            var before = JsonSerializer.Serialize(new { userId = removed.UserId, email = removed.Email, role = removed.Role });
            await AuditAppender.AppendAsync(connection, transaction, Dialect, orgId,
                new AuditRecord("member.removed", $"organisations/{orgId}/members/{userId}", before, null), context, clock.GetUtcNow());
            return (SeatChange.Done, await ReadTotalsAsync(connection, transaction, key));
        }, ct);

    private sealed class MemberRow
    {
        public string OrgId { get; set; } = "";
        public string UserId { get; set; } = "";
        public string Email { get; set; } = "";
        public string Role { get; set; } = "";
        public string AddedAt { get; set; } = "";
    }

    public async Task<IReadOnlyList<Member>> ListMembersAsync(string orgId, CancellationToken ct = default)
    {
        await using var connection = await OpenAsync(ct);
        var rows = await connection.QueryAsync<MemberRow>(new CommandDefinition(
            "SELECT org_id, user_id, email, role, added_at FROM members WHERE org_id = @orgId ORDER BY user_id",
            new { orgId }, cancellationToken: ct));
        return rows.Select(r => new Member(r.OrgId, r.UserId, r.Email, r.Role, Iso.Parse(r.AddedAt))).ToList();
    }

    /// <summary>Creates the counter when new and locks it; every operation on a counter starts here.</summary>
    private async Task<LedgerTotals> LockCounterAsync(DbConnection connection, DbTransaction transaction, CounterKey key)
    {
        await connection.ExecuteAsync(
            "INSERT INTO usage (org_id, metric, period, consumed, leased) VALUES (@OrgId, @Metric, @Period, 0, 0) ON CONFLICT (org_id, metric, period) DO NOTHING",
            new { key.OrgId, key.Metric, key.Period }, transaction);
        return await connection.QuerySingleAsync<LedgerTotals>(
            $"SELECT consumed AS Consumed, leased AS Leased FROM usage WHERE org_id = @OrgId AND metric = @Metric AND period = @Period{Dialect.ForUpdate}",
            new { key.OrgId, key.Metric, key.Period }, transaction);
    }

    private static Task<LedgerTotals> ReadTotalsAsync(DbConnection connection, DbTransaction transaction, CounterKey key) =>
        connection.QuerySingleAsync<LedgerTotals>(
            "SELECT consumed AS Consumed, leased AS Leased FROM usage WHERE org_id = @OrgId AND metric = @Metric AND period = @Period",
            new { key.OrgId, key.Metric, key.Period }, transaction);

    /// <summary>Expired leases on a locked counter: their unreported part is counted as consumed, never re-granted.</summary>
    private static async Task<int> ReclaimExpiredOnCounterAsync(DbConnection connection, DbTransaction transaction, CounterKey key, DateTimeOffset now)
    {
        var expired = (await connection.QueryAsync<LeaseRow>(
            "SELECT holder, epoch, amount FROM leases WHERE org_id = @OrgId AND metric = @Metric AND period = @Period AND expires_at <= @now",
            new { key.OrgId, key.Metric, key.Period, now = Iso.ToText(now) }, transaction)).ToList();
        foreach (var lease in expired) await SettleAsConsumedAsync(connection, transaction, key, lease);
        return expired.Count;
    }

    private static async Task SettleAsConsumedAsync(DbConnection connection, DbTransaction transaction, CounterKey key, LeaseRow lease)
    {
        await connection.ExecuteAsync(
            "UPDATE usage SET consumed = consumed + @Amount, leased = leased - @Amount WHERE org_id = @OrgId AND metric = @Metric AND period = @Period",
            new { lease.Amount, key.OrgId, key.Metric, key.Period }, transaction);
        await connection.ExecuteAsync(
            "DELETE FROM leases WHERE org_id = @OrgId AND metric = @Metric AND period = @Period AND holder = @Holder AND epoch = @Epoch",
            new { key.OrgId, key.Metric, key.Period, lease.Holder, lease.Epoch }, transaction);
    }

    private static async Task<bool> OrganisationExistsAsync(DbConnection connection, DbTransaction transaction, string orgId) =>
        await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM organisations WHERE id = @orgId", new { orgId }, transaction) > 0;

    /// <summary>Writes the 75/90/100% events of a counter once each, in the transaction that crossed them.</summary>
    private async Task RecordThresholdsAsync(DbConnection connection, DbTransaction transaction, CounterKey key, long consumed, long limit, DateTimeOffset now)
    {
        if (limit <= 0) return;
        foreach (var threshold in Thresholds)
        {
            if ((decimal)consumed * 100 < (decimal)threshold * limit) break;
            var inserted = await connection.ExecuteAsync(
                "INSERT INTO quota_thresholds (org_id, metric, period, threshold) VALUES (@OrgId, @Metric, @Period, @threshold) ON CONFLICT DO NOTHING",
                new { key.OrgId, key.Metric, key.Period, threshold }, transaction);
            if (inserted == 0) continue;

            var after = JsonSerializer.Serialize(new { metric = key.Metric, period = key.Period, threshold, consumed, limit });
            var action = threshold == 100 ? "quota.exhausted" : "quota.threshold_reached";
            await AuditAppender.AppendAsync(connection, transaction, Dialect, key.OrgId,
                new AuditRecord(action, $"organisations/{key.OrgId}/usage/{key.Metric}", null, after), LedgerActor, now);
        }
    }
}

using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using Taskee.Grains.Storage;
using Taskee.Silo.Storage;
using Taskee.Tests.Infrastructure;

namespace Taskee.Tests.Quota;

/// <summary>The ledger's guarantees, straight against the database.</summary>
public sealed class LedgerTests : IAsyncLifetime
{
    private TestDatabase _database = null!;
    private readonly ManualClock _clock = new(new DateTimeOffset(2026, 11, 22, 10, 0, 0, TimeSpan.Zero));
    private SqlQuotaLedger _ledger = null!;
    private static readonly TimeSpan Ttl = TimeSpan.FromSeconds(5);

    public async Task InitializeAsync()
    {
        _database = await TestDatabase.CreateAsync();
        SqlDialect dialect = _database.Provider == "postgres"
            ? new PostgresDialect(NpgsqlDataSource.Create(_database.ConnectionString))
            : new SqliteDialect(_database.ConnectionString);
        await new MigrationRunner(dialect, NullLogger<MigrationRunner>.Instance).MigrateAsync();
        Dapper.DefaultTypeMap.MatchNamesWithUnderscores = true;
        _ledger = new SqlQuotaLedger(dialect, _clock);
    }

    public async Task DisposeAsync() => await _database.DisposeAsync();

    private static CounterKey Key => new("acme", "ai_calls", "2026-11-01T00:00:00.000Z");

    [Fact]
    public async Task Leases_granted_concurrently_to_many_holders_never_exceed_the_limit()
    {
        var grants = await Task.WhenAll(Enumerable.Range(0, 16).Select(i =>
            _ledger.AcquireAsync(Key, $"node-{i}", 0, need: 1, desired: 40, limit: 100, soft: false, shareDivisor: 1, Ttl)));

        var totals = await _ledger.ReadAsync(Key);
        Assert.Equal(100, grants.Sum(g => g.Granted));
        Assert.Equal(100, totals.Leased);
        Assert.Equal(0, totals.Consumed);
    }

    [Fact]
    public async Task A_lease_takes_at_most_a_share_of_what_is_left_and_shrinks_to_single_units_near_the_limit()
    {
        var first = await _ledger.AcquireAsync(Key, "a", 0, need: 1, desired: 1000, limit: 100, soft: false, shareDivisor: 4, Ttl);
        var nearEnd = await _ledger.AcquireAsync(Key, "b", 0, need: 1, desired: 1000, limit: 26, soft: false, shareDivisor: 4, Ttl);

        Assert.Equal(25, first.Granted);
        Assert.Equal(1, nearEnd.Granted);
    }

    [Fact]
    public async Task Nothing_is_granted_when_less_than_the_need_is_left()
    {
        await _ledger.AcquireAsync(Key, "a", 0, need: 8, desired: 8, limit: 10, soft: false, shareDivisor: 1, Ttl);

        var grant = await _ledger.AcquireAsync(Key, "b", 0, need: 3, desired: 3, limit: 10, soft: false, shareDivisor: 1, Ttl);

        Assert.Equal(0, grant.Granted);
        Assert.Equal(8, (await _ledger.ReadAsync(Key)).Leased);
    }

    [Fact]
    public async Task A_report_moves_used_units_to_consumed_and_returns_the_rest()
    {
        var grant = await _ledger.AcquireAsync(Key, "a", 0, need: 10, desired: 10, limit: 100, soft: false, shareDivisor: 1, Ttl);

        var outcome = await _ledger.ReportAsync(Key, "a", grant.Epoch, used: 6, returned: 4, renew: false, limit: 100, Ttl);

        Assert.False(outcome.Fenced);
        Assert.Equal(new LedgerTotals(6, 0), outcome.Totals);
    }

    [Fact]
    public async Task An_expired_lease_is_counted_as_consumed_and_its_late_report_is_fenced()
    {
        var grant = await _ledger.AcquireAsync(Key, "dead", 0, need: 10, desired: 10, limit: 100, soft: false, shareDivisor: 1, Ttl);
        _clock.Set(_clock.GetUtcNow() + Ttl + TimeSpan.FromSeconds(1));

        var reclaimed = await _ledger.ReclaimExpiredAsync();
        var late = await _ledger.ReportAsync(Key, "dead", grant.Epoch, used: 3, returned: 7, renew: true, limit: 100, Ttl);

        Assert.Equal(1, reclaimed);
        Assert.True(late.Fenced);
        Assert.Equal(new LedgerTotals(10, 0), await _ledger.ReadAsync(Key));
    }

    [Fact]
    public async Task A_lease_of_an_old_epoch_is_settled_before_a_new_one_is_granted()
    {
        var old = await _ledger.AcquireAsync(Key, "a", 0, need: 10, desired: 10, limit: 100, soft: false, shareDivisor: 1, Ttl);

        var fresh = await _ledger.AcquireAsync(Key, "a", epoch: 0, need: 5, desired: 5, limit: 100, soft: false, shareDivisor: 1, Ttl);
        var stale = await _ledger.ReportAsync(Key, "a", old.Epoch, used: 10, returned: 0, renew: false, limit: 100, Ttl);

        Assert.NotEqual(old.Epoch, fresh.Epoch);
        Assert.True(stale.Fenced);
        Assert.Equal(new LedgerTotals(10, 5), await _ledger.ReadAsync(Key));
    }

    [Fact]
    public async Task An_idempotent_consume_applies_once_and_refuses_a_different_reuse()
    {
        var first = await _ledger.ConsumeOnceAsync(Key, "k-1", 4, limit: 10, soft: false);
        var replay = await _ledger.ConsumeOnceAsync(Key, "k-1", 4, limit: 10, soft: false);
        var conflict = await _ledger.ConsumeOnceAsync(Key, "k-1", 5, limit: 10, soft: false);

        Assert.True(first.Allowed && !first.Replayed);
        Assert.True(replay.Allowed && replay.Replayed);
        Assert.True(conflict.KeyConflict);
        Assert.Equal(4, (await _ledger.ReadAsync(Key)).Consumed);
    }

    [Fact]
    public async Task Concurrent_idempotent_consumes_with_one_key_apply_once()
    {
        var outcomes = await Task.WhenAll(Enumerable.Range(0, 10).Select(_ => _ledger.ConsumeOnceAsync(Key, "same", 2, limit: 100, soft: false)));

        Assert.Single(outcomes, o => !o.Replayed);
        Assert.Equal(2, (await _ledger.ReadAsync(Key)).Consumed);
    }
}

using Taskee.Grains.Interfaces;
using Taskee.Grains.Quota;

namespace Taskee.Tests.Quota;

/// <summary>The organisation grain's counter as a pure object: the in-memory decision and how reservations are sized.</summary>
public sealed class ReservationTests
{
    private static MetricCounter Counter(long limit, long used, long reserved, double rate = 0, bool soft = false) =>
        new(Metrics.StorageBytes) { Limit = limit, Used = used, Reserved = reserved, PersistedUsed = used, Rate = rate, Soft = soft };

    [Theory]
    // limit, used, reserved, rate, amount -> reservation to write
    [InlineData(1000, 0, 0, 0, 1, 2)]            // idle: one unit of head room
    [InlineData(1_000_000, 0, 0, 4000, 1, 4001)] // about one second of the rate after the request
    [InlineData(1000, 900, 900, 4000, 1, 925)]   // near the limit: at most a quarter of what is left
    [InlineData(1000, 996, 996, 4000, 1, 998)]   // shrinking to single units
    [InlineData(1000, 999, 999, 4000, 1, 1000)]  // never beyond the limit
    public void A_reservation_covers_the_request_and_about_a_second_more_and_shrinks_near_the_limit(
        long limit, long used, long reserved, double rate, long amount, long expected)
    {
        Assert.Equal(expected, Counter(limit, used, reserved, rate).ReservationFor(amount, maxChunk: 1_000_000));
    }

    [Fact]
    public void A_reservation_chunk_is_capped_by_max_lease()
    {
        Assert.Equal(10 + 1 + 50, Counter(long.MaxValue / 2, 10, 10, rate: 1e9).ReservationFor(1, maxChunk: 50));
    }

    [Fact]
    public void A_soft_metric_reserves_past_its_limit()
    {
        Assert.Equal(15, Counter(10, 10, 10, rate: 4, soft: true).ReservationFor(1, maxChunk: 100));
    }

    [Fact]
    public void Inside_the_reservation_the_counter_admits_without_asking_storage()
    {
        var counter = Counter(100, 10, 20);
        Assert.True(counter.TryAdmit(5, 0, out var result));
        Assert.True(result.Allowed);
        Assert.Equal(15, result.Used);
        Assert.Equal(85, result.Remaining);
    }

    [Fact]
    public void Beyond_the_reservation_the_counter_asks_for_a_write_first()
    {
        var counter = Counter(100, 10, 12);
        Assert.False(counter.TryAdmit(5, 0, out _));
        Assert.Equal(10, counter.Used);
    }

    [Fact]
    public void Over_a_hard_limit_the_counter_denies_at_once_and_counts_nothing()
    {
        var counter = Counter(100, 98, 100);
        Assert.True(counter.TryAdmit(5, 0, out var result));
        Assert.False(result.Allowed);
        Assert.Equal(UsageReason.LimitReached, result.Reason);
        Assert.Equal(98, counter.Used);
    }

    [Fact]
    public void A_successor_counts_what_a_crashed_activation_had_reserved_as_used()
    {
        var counter = new MetricCounter(Metrics.StorageBytes) { Limit = 100 };
        counter.EnterPeriod(null, DateTimeOffset.UtcNow);
        counter.Restore(new CounterState { Period = "", Used = 40, Reserved = 70 });
        Assert.Equal(70, counter.Used);
        Assert.Equal(70, counter.Reserved);
        Assert.Equal(40, counter.PersistedUsed); // so the next write records 70
    }

    [Fact]
    public void A_stored_state_of_an_earlier_period_counts_as_nothing_used()
    {
        var counter = new MetricCounter(Metrics.AiCalls) { Limit = 100 };
        counter.EnterPeriod(null, new DateTimeOffset(2026, 3, 5, 0, 0, 0, TimeSpan.Zero));
        counter.Restore(new CounterState { Period = "2026-02-01T00:00:00.000Z", Used = 90, Reserved = 95 });
        Assert.Equal(0, counter.Used);
    }
}

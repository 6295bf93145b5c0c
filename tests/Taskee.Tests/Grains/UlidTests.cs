using Taskee.Grains.Audit;

namespace Taskee.Tests.Grains;

public sealed class UlidTests
{
    [Fact]
    public void Ids_made_in_one_millisecond_or_under_a_clock_held_still_sort_in_the_order_they_were_made()
    {
        var at = DateTimeOffset.UtcNow;
        var ids = Enumerable.Range(0, 10_000).Select(_ => Ulid.NewUlid(at)).ToList();
        Assert.Equal(ids.Order(StringComparer.Ordinal), ids);
        Assert.Equal(ids.Count, ids.Distinct().Count());
    }

    [Fact]
    public void A_later_millisecond_sorts_after_and_a_clock_that_went_back_does_not_break_the_order()
    {
        var at = DateTimeOffset.UtcNow;
        var first = Ulid.NewUlid(at);
        var later = Ulid.NewUlid(at.AddMilliseconds(1));
        var back = Ulid.NewUlid(at.AddSeconds(-5));
        Assert.True(string.CompareOrdinal(first, later) < 0);
        Assert.True(string.CompareOrdinal(later, back) < 0);
        Assert.Equal(26, back.Length);
        Assert.All(back, c => Assert.Contains(c, "0123456789ABCDEFGHJKMNPQRSTVWXYZ"));
    }

    [Fact]
    public void The_first_ten_characters_are_the_millisecond_time_never_earlier_than_asked()
    {
        // Other tests in this process may have made ids under a clock moved further ahead: monotonic ids keep that time.
        // A time in the past, so this test moves no one's ids ahead.
        var at = DateTimeOffset.UtcNow.AddDays(-1);
        var ms = Decode(Ulid.NewUlid(at));
        Assert.InRange(ms, at.ToUnixTimeMilliseconds(), DateTimeOffset.UtcNow.AddYears(10).ToUnixTimeMilliseconds());
    }

    private static long Decode(string id) => id[..10].Aggregate(0L, (value, c) => value * 32 + "0123456789ABCDEFGHJKMNPQRSTVWXYZ".IndexOf(c));
}

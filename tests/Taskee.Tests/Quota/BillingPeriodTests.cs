using Taskee.Grains.Quota;

namespace Taskee.Tests.Quota;

public sealed class BillingPeriodTests
{
    private static DateTimeOffset Utc(int y, int m, int d, int h = 0) => new(y, m, d, h, 0, 0, TimeSpan.Zero);

    public static TheoryData<DateTimeOffset?, DateTimeOffset, DateTimeOffset, DateTimeOffset> Cases => new()
    {
        { null, Utc(2026, 11, 22, 10), Utc(2026, 11, 1), Utc(2026, 12, 1) },
        { null, Utc(2026, 12, 31, 23), Utc(2026, 12, 1), Utc(2027, 1, 1) },
        { Utc(2026, 1, 15, 12), Utc(2026, 2, 20), Utc(2026, 2, 15, 12), Utc(2026, 3, 15, 12) },
        { Utc(2026, 1, 15, 12), Utc(2026, 2, 15, 11), Utc(2026, 1, 15, 12), Utc(2026, 2, 15, 12) },
        { Utc(2026, 1, 31), Utc(2026, 2, 28, 1), Utc(2026, 2, 28), Utc(2026, 3, 31) },
        { Utc(2027, 5, 1), Utc(2026, 11, 22), Utc(2026, 11, 1), Utc(2026, 12, 1) },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void A_period_contains_now_and_starts_at_the_anchor_plus_whole_months(DateTimeOffset? anchor, DateTimeOffset now, DateTimeOffset start, DateTimeOffset end)
    {
        var period = BillingPeriod.For(anchor, now);
        Assert.Equal(start, period.Start);
        Assert.Equal(end, period.End);
        Assert.InRange(now, period.Start, period.End.AddTicks(-1));
    }
}

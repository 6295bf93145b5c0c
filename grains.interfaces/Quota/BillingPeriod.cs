using System.Globalization;

namespace Taskee.Grains.Quota;

/// <summary>
/// Periods of a periodic metric: monthly from the organisation's billing anchor (the anchor plus whole months,
/// clamped to month ends the way <see cref="DateTimeOffset.AddMonths"/> does), or calendar months in UTC.
/// </summary>
public readonly record struct BillingPeriod(DateTimeOffset Start, DateTimeOffset End)
{
    /// <summary>The ledger's name for the period: its start, UTC, ISO 8601.</summary>
    public string Key => Start.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    public static BillingPeriod For(DateTimeOffset? anchor, DateTimeOffset now)
    {
        now = now.ToUniversalTime();
        if (anchor is not { } a)
        {
            var start = new DateTimeOffset(now.Year, now.Month, 1, 0, 0, 0, TimeSpan.Zero);
            return new(start, start.AddMonths(1));
        }

        a = a.ToUniversalTime();
        var months = (now.Year - a.Year) * 12 + now.Month - a.Month;
        while (a.AddMonths(months) > now) months--;
        while (a.AddMonths(months + 1) <= now) months++;
        return new(a.AddMonths(months), a.AddMonths(months + 1));
    }
}

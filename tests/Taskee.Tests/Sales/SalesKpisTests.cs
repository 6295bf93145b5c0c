using Taskee.Grains.Sales;
using Taskee.Grains.Storage;

namespace Taskee.Tests.Sales;

/// <summary>The KPI figures of the leads: time to contract (under 45 days) and the quarter's enterprise leads.</summary>
public sealed class SalesKpisTests
{
    private static readonly DateTimeOffset Start = new(2026, 10, 1, 9, 0, 0, TimeSpan.Zero);

    /// <summary>A lead taken in <paramref name="daysAfterStart"/> days after <see cref="Start"/>, won <paramref name="wonAfterDays"/> later (or open).</summary>
    private static LeadRecord Lead(double daysAfterStart, double? wonAfterDays, bool qualified = true)
    {
        var created = Start.AddDays(daysAfterStart);
        List<LeadStatusPeriod> history = wonAfterDays is { } days
            ? [new(LeadStatuses.New, created, created.AddDays(days)), new(LeadStatuses.Won, created.AddDays(days), null)]
            : [new(LeadStatuses.New, created, null)];
        return new LeadRecord($"lead_{daysAfterStart}", created, new LeadAnswers("Org", "zorg", 40, [], [], false, false, false, null, false),
            new LeadContact("A", "a@example.nl", null), "nl", new LeadConsent("1", "text", created), new QualificationResult(qualified, 3, []),
            wonAfterDays is null ? LeadStatuses.New : LeadStatuses.Won, null, null, 1, created, history, new CrmSyncState(null, null, 0, 0, null, null));
    }

    [Fact]
    public void Time_to_contract_is_from_intake_to_won_with_median_average_longest_and_those_under_45_days()
    {
        var figures = SalesKpis.TimeToContract([Lead(0, 10), Lead(1, 30), Lead(2, 44), Lead(3, 60), Lead(4, null), Lead(5, 45)]);
        Assert.Equal(45, figures.TargetDays);
        Assert.Equal(5, figures.Won);
        Assert.Equal(3, figures.WithinTarget); // 45 days is not under 45
        Assert.Equal(44, figures.MedianDays);
        Assert.Equal(37.8, figures.AverageDays);
        Assert.Equal(37, SalesKpis.TimeToContract([Lead(0, 10), Lead(1, 30), Lead(2, 44), Lead(3, 60)]).MedianDays); // even: the middle two
        Assert.Equal(60, figures.LongestDays);

        var none = SalesKpis.TimeToContract([Lead(0, null)]);
        Assert.Equal(0, none.Won);
        Assert.Null(none.MedianDays);
    }

    [Fact]
    public void The_quarter_counts_leads_since_its_first_day_and_the_qualified_among_them()
    {
        var now = new DateTimeOffset(2026, 12, 2, 14, 0, 0, TimeSpan.Zero);
        Assert.Equal(new DateTimeOffset(2026, 10, 1, 0, 0, 0, TimeSpan.Zero), SalesKpis.QuarterStart(now));
        var quarter = SalesKpis.ThisQuarter([Lead(-1, null), Lead(0, null), Lead(20, null, qualified: false), Lead(60, 1)], now);
        Assert.Equal(3, quarter.Leads);
        Assert.Equal(2, quarter.Qualified);
        Assert.Equal(3, quarter.Target);
    }
}

using Taskee.Grains.Storage;

namespace Taskee.Grains.Sales;

/// <summary>Time to contract of the won leads: from the intake to the stage <c>won</c>, against the 45-day KPI.</summary>
/// <param name="MedianDays">Null when no lead is won yet.</param>
public sealed record TimeToContract(int TargetDays, int Won, int WithinTarget, double? MedianDays, double? AverageDays, double? LongestDays);

/// <summary>Enterprise leads of the current quarter against the KPI of 3 a quarter.</summary>
public sealed record LeadsThisQuarter(DateTimeOffset Since, int Target, int Leads, int Qualified);

/// <summary>The business KPIs of the enterprise proposal that leads show. Pure.</summary>
public static class SalesKpis
{
    public const int TimeToContractTargetDays = 45;

    public const int QualifiedLeadsPerQuarterTarget = 3;

    /// <summary>Days from the lead's intake to the moment it entered <c>won</c>.</summary>
    public static double? DaysToContract(LeadRecord lead) =>
        lead.History.LastOrDefault(h => h.Status == LeadStatuses.Won) is { } won ? (won.EnteredAt - lead.CreatedAt).TotalDays : null;

    public static TimeToContract TimeToContract(IEnumerable<LeadRecord> leads)
    {
        var days = leads.Select(DaysToContract).OfType<double>().Order().ToList();
        if (days.Count == 0) return new TimeToContract(TimeToContractTargetDays, 0, 0, null, null, null);
        var median = days.Count % 2 == 1 ? days[days.Count / 2] : (days[days.Count / 2 - 1] + days[days.Count / 2]) / 2;
        return new TimeToContract(TimeToContractTargetDays, days.Count, days.Count(d => d < TimeToContractTargetDays),
            Math.Round(median, 1), Math.Round(days.Average(), 1), Math.Round(days[^1], 1));
    }

    /// <summary>The first moment of the calendar quarter (UTC) that <paramref name="now"/> is in.</summary>
    public static DateTimeOffset QuarterStart(DateTimeOffset now) => new(now.UtcDateTime.Year, (now.UtcDateTime.Month - 1) / 3 * 3 + 1, 1, 0, 0, 0, TimeSpan.Zero);

    public static LeadsThisQuarter ThisQuarter(IEnumerable<LeadRecord> leads, DateTimeOffset now)
    {
        var since = QuarterStart(now);
        var recent = leads.Where(l => l.CreatedAt >= since).ToList();
        return new LeadsThisQuarter(since, QualifiedLeadsPerQuarterTarget, recent.Count, recent.Count(l => l.Qualification.Qualified));
    }
}

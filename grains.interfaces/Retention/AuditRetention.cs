namespace Taskee.Grains.Interfaces;

/// <summary>
/// How long an organisation's audit events are kept: its own override, else its plan's, else <see cref="DefaultDays"/>.
/// The bounds keep a typo from pruning a chain to nothing (a month at least) or from meaning "forever" by accident.
/// </summary>
public static class AuditRetention
{
    /// <summary>Seven years (2557 days, leap days included): what an enterprise plan keeps and what a plan without a value gets.</summary>
    public const int DefaultDays = 2557;

    public const int MinDays = 30;

    /// <summary>A hundred years: long enough for any contract, short enough that the cut-off date stays representable.</summary>
    public const int MaxDays = 36525;

    public static bool IsValid(int days) => days is >= MinDays and <= MaxDays;

    public static string Rule => $"a whole number of days between {MinDays} and {MaxDays}";

    public static int DaysFor(Organisation organisation, Plan? plan) =>
        organisation.AuditRetentionDays ?? plan?.AuditRetentionDays ?? DefaultDays;
}

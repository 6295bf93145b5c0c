namespace Taskee.Grains.Interfaces;

/// <summary>The lifecycle states of an organisation, as strings on the wire.</summary>
public static class OrganisationStatus
{
    public const string Trialing = "trialing";
    public const string Active = "active";
    public const string PastDue = "past_due";
    public const string Grace = "grace";
    public const string Suspended = "suspended";
    public const string Cancelled = "cancelled";

    public static readonly IReadOnlyList<string> All = [Trialing, Active, PastDue, Grace, Suspended, Cancelled];

    public static bool IsKnown(string status) => All.Contains(status);

    /// <summary>Statuses in which the organisation may not consume anything.</summary>
    public static bool BlocksUsage(string status) => status is Suspended or Cancelled;
}

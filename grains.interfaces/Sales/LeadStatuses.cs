namespace Taskee.Grains.Sales;

/// <summary>
/// The sales stages of a lead: new → contacted → proposal → won, or lost from any open stage. Stages only move forward
/// (sales may skip one: a lead that asks for a proposal at once); won and lost are final.
/// </summary>
public static class LeadStatuses
{
    public const string New = "new";
    public const string Contacted = "contacted";
    public const string Proposal = "proposal";
    public const string Won = "won";
    public const string Lost = "lost";

    /// <summary>The open stages in their order, then the won stage.</summary>
    private static readonly string[] Forward = [New, Contacted, Proposal, Won];

    public static readonly IReadOnlyList<string> All = [New, Contacted, Proposal, Won, Lost];

    public static bool IsFinal(string status) => status is Won or Lost;

    public static bool CanMove(string from, string to)
    {
        if (IsFinal(from) || from == to || !All.Contains(to)) return false;
        return to == Lost || Array.IndexOf(Forward, to) > Array.IndexOf(Forward, from);
    }

    /// <summary>Where a lead in <paramref name="from"/> may go next, for error messages.</summary>
    public static IReadOnlyList<string> NextOf(string from) => All.Where(to => CanMove(from, to)).ToList();
}

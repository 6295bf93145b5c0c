namespace Taskee.Grains.Sales;

/// <summary>The outcome of qualification: the points, whether they reach the bar, and the rules that gave them.</summary>
public sealed record QualificationResult(bool Qualified, int Score, IReadOnlyList<string> Reasons);

/// <summary>
/// Whether a lead is worth a sales conversation, as a transparent score: every rule that holds adds its points and names
/// itself as a reason; a lead with <see cref="Threshold"/> points or more is qualified. All rules are in this file, so
/// sales can read (and change) exactly what the form does; <c>LeadQualificationTests</c> pins them down case by case.
/// </summary>
public static class LeadQualification
{
    /// <summary>The enterprise offer starts where Pro stops being enough: more than this many users.</summary>
    public const int LargeTeamUsers = 25;

    public const int Threshold = 3;

    private sealed record Rule(string Reason, int Points, Func<LeadAnswers, bool> Holds);

    // A large team alone is not yet an enterprise deal (Pro serves it); one enterprise need on top of it is.
    // Three enterprise needs make a small team with strict requirements (a care provider under NEN 7510) one too.
    private static readonly Rule[] Rules =
    [
        new("more_than_25_users", 2, a => a.Users > LargeTeamUsers),
        new("compliance_need", 1, a => a.Compliance.Count > 0),
        new("sso_need", 1, a => a.NeedsSso),
        new("scim_need", 1, a => a.NeedsScim),
        new("sla_need", 1, a => a.NeedsSla),
        new("private_hosting", 1, a => a.PrivateHosting),
    ];

    public static QualificationResult Qualify(LeadAnswers answers)
    {
        var held = Rules.Where(r => r.Holds(answers)).ToList();
        var score = held.Sum(r => r.Points);
        return new QualificationResult(score >= Threshold, score, held.Select(r => r.Reason).ToList());
    }
}

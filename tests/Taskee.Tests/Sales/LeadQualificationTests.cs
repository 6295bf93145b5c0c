using Taskee.Grains.Sales;

namespace Taskee.Tests.Sales;

/// <summary>The qualification rules, case by case: what each answer is worth and where the bar is.</summary>
public sealed class LeadQualificationTests
{
    private static LeadAnswers Answers(int users, string[]? compliance = null, bool sso = false, bool scim = false, bool sla = false, bool hosting = false) =>
        new("Org", "zorg", users, compliance ?? [], [], sso, scim, sla, null, hosting);

    public static TheoryData<string, LeadAnswers, bool, int, string[]> Cases => new()
    {
        { "a small team without needs", Answers(5), false, 0, [] },
        { "exactly 25 users is not more than 25", Answers(25, sso: true), false, 1, ["sso_need"] },
        { "a large team alone", Answers(26), false, 2, ["more_than_25_users"] },
        { "a large team with SSO", Answers(40, sso: true), true, 3, ["more_than_25_users", "sso_need"] },
        { "a large team with a compliance need", Answers(40, ["iso27001"]), true, 3, ["more_than_25_users", "compliance_need"] },
        { "a large team with an SLA need", Answers(1000, sla: true), true, 3, ["more_than_25_users", "sla_need"] },
        { "two compliance standards count once", Answers(10, ["iso27001", "nen7510"], sso: true), false, 2, ["compliance_need", "sso_need"] },
        { "a small team with three enterprise needs", Answers(10, ["nen7510"], sso: true, sla: true), true, 3, ["compliance_need", "sso_need", "sla_need"] },
        { "SCIM and private hosting count", Answers(3, scim: true, hosting: true, sla: true), true, 3, ["scim_need", "sla_need", "private_hosting"] },
        { "everything", Answers(500, ["other"], true, true, true, true), true, 7,
            ["more_than_25_users", "compliance_need", "sso_need", "scim_need", "sla_need", "private_hosting"] },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void A_lead_is_scored_by_the_rules_that_hold(string because, LeadAnswers answers, bool qualified, int score, string[] reasons)
    {
        var result = LeadQualification.Qualify(answers);
        Assert.True(qualified == result.Qualified, because);
        Assert.Equal(score, result.Score);
        Assert.Equal(reasons, result.Reasons);
    }

    [Theory]
    [InlineData("new", "contacted", true)]
    [InlineData("new", "proposal", true)]
    [InlineData("new", "won", true)]
    [InlineData("new", "lost", true)]
    [InlineData("contacted", "proposal", true)]
    [InlineData("contacted", "new", false)]
    [InlineData("proposal", "contacted", false)]
    [InlineData("proposal", "won", true)]
    [InlineData("proposal", "lost", true)]
    [InlineData("won", "lost", false)]
    [InlineData("lost", "contacted", false)]
    [InlineData("new", "new", false)]
    [InlineData("new", "archived", false)]
    public void Stages_only_move_forward_and_won_and_lost_are_final(string from, string to, bool allowed) =>
        Assert.Equal(allowed, LeadStatuses.CanMove(from, to));
}

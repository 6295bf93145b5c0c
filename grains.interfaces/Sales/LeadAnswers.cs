namespace Taskee.Grains.Sales;

/// <summary>
/// What a prospect answered on the intake form, apart from who they are (the contact): everything qualification reads,
/// and nothing personal, so it may go into audit events as it is.
/// </summary>
/// <param name="Compliance">Codes from <see cref="LeadVocabulary.Compliance"/>.</param>
/// <param name="Tooling">Codes from <see cref="LeadVocabulary.Tooling"/>.</param>
/// <param name="Integrations">Free text: the integrations the prospect wants.</param>
public sealed record LeadAnswers(
    string OrganisationName,
    string Sector,
    int Users,
    IReadOnlyList<string> Compliance,
    IReadOnlyList<string> Tooling,
    bool NeedsSso,
    bool NeedsScim,
    bool NeedsSla,
    string? Integrations,
    bool PrivateHosting);

/// <summary>The closed lists of the intake form: the codes the API accepts and stores.</summary>
public static class LeadVocabulary
{
    public static readonly IReadOnlyList<string> Sectors = ["zorg", "facilitair", "other"];

    public static readonly IReadOnlyList<string> Compliance = ["iso27001", "nen7510", "other"];

    public static readonly IReadOnlyList<string> Tooling = ["google-workspace", "microsoft-365", "other"];

    public static readonly IReadOnlyList<string> Languages = ["nl", "en"];
}

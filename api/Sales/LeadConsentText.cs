namespace Taskee.Api.Sales;

/// <summary>
/// The consent to be contacted that the intake form asks for, per language. A lead stores the version and the exact text
/// in its language; a new wording gets a new version, so what each prospect agreed to stays known.
/// </summary>
public static class LeadConsentText
{
    public const string Version = "2026-12-01";

    public static readonly IReadOnlyDictionary<string, string> Texts = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["nl"] = "Taskee mag mij over deze aanvraag benaderen per e-mail of telefoon. Taskee gebruikt mijn gegevens alleen daarvoor en bewaart ze niet langer dan nodig.",
        ["en"] = "Taskee may contact me about this request by e-mail or phone. Taskee uses my details for that purpose only and keeps them no longer than needed.",
    };
}

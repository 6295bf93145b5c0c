using System.Text.Json.Serialization;

namespace Taskee.Api.Documents;

/// <summary>
/// What a contract decides rather than the product: the parties, hosting, the SLA's targets, recovery objectives. Each is
/// taken from the organisation or the quote where they say it, from <c>--values contract.json</c> otherwise; one left
/// open is printed as "to be agreed" with its name, never guessed.
/// </summary>
public sealed record ContractValues
{
    public string? ProviderName { get; init; }
    public string? CustomerName { get; init; }
    public string? CustomerOrgId { get; init; }
    public string? CustomerAddress { get; init; }
    public string? CustomerContact { get; init; }
    public string? EffectiveDate { get; init; }
    public string? HostingProvider { get; init; }
    public string? HostingRegion { get; init; }
    public string? SlaTier { get; init; }
    public string? UptimeTarget { get; init; }
    public string? ResponseTimeCritical { get; init; }
    public string? ResponseTimeHigh { get; init; }
    public string? ResponseTimeNormal { get; init; }
    public string? ServiceCredits { get; init; }
    public string? Rpo { get; init; }
    public string? Rto { get; init; }
    public string? SecurityContact { get; init; }

    /// <summary>Values given here win over those in <paramref name="fallback"/>.</summary>
    public ContractValues Over(ContractValues fallback) => new()
    {
        ProviderName = ProviderName ?? fallback.ProviderName, CustomerName = CustomerName ?? fallback.CustomerName,
        CustomerOrgId = CustomerOrgId ?? fallback.CustomerOrgId, CustomerAddress = CustomerAddress ?? fallback.CustomerAddress,
        CustomerContact = CustomerContact ?? fallback.CustomerContact, EffectiveDate = EffectiveDate ?? fallback.EffectiveDate,
        HostingProvider = HostingProvider ?? fallback.HostingProvider, HostingRegion = HostingRegion ?? fallback.HostingRegion,
        SlaTier = SlaTier ?? fallback.SlaTier, UptimeTarget = UptimeTarget ?? fallback.UptimeTarget,
        ResponseTimeCritical = ResponseTimeCritical ?? fallback.ResponseTimeCritical, ResponseTimeHigh = ResponseTimeHigh ?? fallback.ResponseTimeHigh,
        ResponseTimeNormal = ResponseTimeNormal ?? fallback.ResponseTimeNormal, ServiceCredits = ServiceCredits ?? fallback.ServiceCredits,
        Rpo = Rpo ?? fallback.Rpo, Rto = Rto ?? fallback.Rto, SecurityContact = SecurityContact ?? fallback.SecurityContact,
    };

    /// <summary>Each value by its placeholder name (the JSON property name) with its label in Dutch and English.</summary>
    [JsonIgnore]
    public IReadOnlyList<(string Name, string? Value, string Nl, string En)> Fields =>
    [
        ("providerName", ProviderName ?? "Taskee", "leverancier", "provider"),
        ("customerName", CustomerName, "naam klant", "customer name"),
        ("customerOrgId", CustomerOrgId, "organisatie-id", "organisation id"),
        ("customerAddress", CustomerAddress, "adres klant", "customer address"),
        ("customerContact", CustomerContact, "contactpersoon klant", "customer contact"),
        ("effectiveDate", EffectiveDate, "ingangsdatum", "effective date"),
        ("hostingProvider", HostingProvider, "hostingpartij", "hosting provider"),
        ("hostingRegion", HostingRegion, "hostingregio", "hosting region"),
        ("slaTier", SlaTier, "SLA-niveau", "SLA tier"),
        ("uptimeTarget", UptimeTarget, "beschikbaarheidsdoel", "uptime target"),
        ("responseTimeCritical", ResponseTimeCritical, "reactietijd kritiek", "response time critical"),
        ("responseTimeHigh", ResponseTimeHigh, "reactietijd hoog", "response time high"),
        ("responseTimeNormal", ResponseTimeNormal, "reactietijd normaal", "response time normal"),
        ("serviceCredits", ServiceCredits, "servicecredits", "service credits"),
        ("rpo", Rpo, "RPO (maximaal dataverlies)", "RPO (maximum data loss)"),
        ("rto", Rto, "RTO (maximale hersteltijd)", "RTO (maximum time to restore)"),
        ("securityContact", SecurityContact, "securitycontact", "security contact"),
    ];

    /// <summary>The names of the values still open (printed as "to be agreed").</summary>
    public IReadOnlyList<string> Open => Fields.Where(f => string.IsNullOrWhiteSpace(f.Value)).Select(f => f.Name).ToList();

    /// <summary>The value as the document prints it: as given, or "to be agreed" naming it.</summary>
    public string Display(string name, string language)
    {
        var (_, value, nl, en) = Fields.Single(f => f.Name == name);
        return string.IsNullOrWhiteSpace(value) ? (language == "nl" ? $"[nog overeen te komen: {nl}]" : $"[to be agreed: {en}]") : value;
    }

    public DocumentValues ToValues(string language)
    {
        var values = new DocumentValues();
        foreach (var field in Fields) values.Text(field.Name, Display(field.Name, language));
        return values;
    }
}

using System.Globalization;
using Taskee.Api.Ops;
using Taskee.Api.Sales.Crm;
using Taskee.Grains.Storage;

namespace Taskee.Api.Documents;

/// <summary>
/// The facts of this deployment the documents state: the price book's SLA tiers, the sub-processors actually configured
/// (Stripe when a key is set, the CRM when a provider is set, the hosting provider the contract names), how often uptime
/// is sampled. Facts that are the same everywhere are written in the templates themselves.
/// </summary>
public sealed record ServiceFacts(StoredPriceBook PriceBook, CrmOptions Crm, bool StripeConfigured, OpsOptions Ops, DateTimeOffset Now)
{
    public DocumentValues ToValues(ContractValues contract, string language)
    {
        var nl = language == "nl";
        var tiers = DocumentValues.Table(nl ? ["SLA-niveau", "Prijs per maand (excl. btw)"] : ["SLA tier", "Price per month (excl. VAT)"],
            PriceBook.Book.SlaTierMonthlyCents.OrderBy(t => t.Value).Select(t => (IReadOnlyList<string>)[t.Key, Money.Format(t.Value, language)]));
        return contract.ToValues(language)
            .Markdown("slaTiers", tiers)
            .Text("slaPriceBookVersion", PriceBook.Version.ToString(CultureInfo.InvariantCulture))
            .Markdown("subProcessors", SubProcessors(contract, nl))
            .Text("sampleIntervalSeconds", ((long)Ops.SampleInterval.TotalSeconds).ToString(CultureInfo.InvariantCulture))
            .Text("generatedOn", QuoteDocumentValues.Date(Now));
    }

    private string SubProcessors(ContractValues contract, bool nl)
    {
        var hostingProvider = contract.Display("hostingProvider", nl ? "nl" : "en");
        var hostingRegion = contract.Display("hostingRegion", nl ? "nl" : "en");
        var rows = new List<IReadOnlyList<string>>
        {
            nl ? [hostingProvider, "Hosting van de nodes en de database (alle gegevens van de dienst)", hostingRegion]
               : [hostingProvider, "Hosting of the nodes and the database (all data of the service)", hostingRegion],
        };
        if (StripeConfigured)
            rows.Add(nl ? ["Stripe Payments Europe, Ltd.", "Betalingen en facturatie: e-mailadres, naam en adres van de factuurontvanger", "volgens de verwerkersovereenkomst van Stripe"]
                        : ["Stripe Payments Europe, Ltd.", "Payments and invoicing: the billing contact's e-mail, name and address", "as Stripe's data processing agreement states"]);
        if (Crm.Provider == CrmOptions.HubSpot)
            rows.Add(nl ? ["HubSpot, Inc.", "CRM van de verkoop: contactgegevens van aanvragers van het enterprise-aanbod (geen gegevens van gebruikers)", "volgens de verwerkersovereenkomst van HubSpot"]
                        : ["HubSpot, Inc.", "Sales CRM: contact details of people who asked for the enterprise offer (no data of users)", "as HubSpot's data processing agreement states"]);
        else if (Crm.Provider == CrmOptions.Webhook && Uri.TryCreate(Crm.BaseUrl, UriKind.Absolute, out var crm))
            rows.Add(nl ? [crm.Host, "CRM van de verkoop: contactgegevens van aanvragers van het enterprise-aanbod (geen gegevens van gebruikers)", "volgens de CRM-leverancier"]
                        : [crm.Host, "Sales CRM: contact details of people who asked for the enterprise offer (no data of users)", "as the CRM's provider states"]);
        return DocumentValues.Table(nl ? ["Subverwerker", "Verwerking", "Locatie"] : ["Sub-processor", "Processing", "Location"], rows);
    }
}

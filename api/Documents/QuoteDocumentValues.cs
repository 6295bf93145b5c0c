using System.Globalization;
using Taskee.Grains.Storage;

namespace Taskee.Api.Documents;

/// <summary>The order form's values from a saved quote (exactly its stored lines and totals) and the customer from its lead.</summary>
public static class QuoteDocumentValues
{
    public static ContractValues Contract(QuoteRecord quote, LeadRecord lead) => new()
    {
        CustomerName = lead.Answers.OrganisationName,
        CustomerContact = $"{lead.Contact.Name} <{lead.Contact.Email}>",
        SlaTier = quote.Input.SlaTier,
    };

    public static DocumentValues Build(QuoteRecord quote, string language)
    {
        var nl = language == "nl";
        var lines = DocumentValues.Table(
            nl ? ["Omschrijving", "Aantal", "Prijs per stuk", "Totaal"] : ["Description", "Quantity", "Unit price", "Total"],
            quote.Result.Lines.Select(l => (IReadOnlyList<string>)[l.Description, l.Quantity.ToString(CultureInfo.InvariantCulture),
                Money.Format(l.UnitPriceCents, language), Money.Format(l.TotalCents, language)]));
        return new DocumentValues()
            .Text("quoteNumber", quote.Number)
            .Text("quoteVersion", quote.Version.ToString(CultureInfo.InvariantCulture))
            .Text("quoteDate", Date(quote.CreatedAt))
            .Text("validUntil", Date(quote.ValidUntil))
            .Text("priceBookVersion", quote.Result.PriceBookVersion.ToString(CultureInfo.InvariantCulture))
            .Text("plan", quote.Input.Plan)
            .Text("seats", quote.Input.Seats.ToString(CultureInfo.InvariantCulture))
            .Text("termYears", quote.Input.TermYears.ToString(CultureInfo.InvariantCulture))
            .Text("addOns", quote.Input.AddOns.Count == 0 ? (nl ? "geen" : "none") : string.Join(", ", quote.Input.AddOns.Order(StringComparer.Ordinal)))
            .Markdown("quoteLines", lines)
            .Text("subtotal", Money.Format(quote.Result.SubtotalCents, language))
            .Text("discount", Money.Format(quote.Result.DiscountCents, language))
            .Text("vat", Money.Format(quote.Result.VatCents, language))
            .Text("total", Money.Format(quote.Result.TotalCents, language));
    }

    public static string Date(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}

namespace Taskee.Grains.Sales;

/// <summary>What a prospect asks a price for: per month usage, for a contract of <see cref="TermYears"/> years.</summary>
public sealed record QuoteInput(string Plan, int Seats, long AiCalls, long StorageGb, IReadOnlyList<string> AddOns, string SlaTier, int TermYears);

public sealed record QuoteLine(string Description, long Quantity, long UnitPriceCents, long TotalCents);

public sealed record QuoteResult(string Currency, IReadOnlyList<QuoteLine> Lines, long SubtotalCents, long DiscountCents, long VatCents, long TotalCents,
    long PriceBookVersion);

/// <summary>
/// The price of a quote for the whole term, from a price book: a pure function in integer cents, so the page, the API and
/// a saved quote always agree. Lines are monthly prices times the months of the term; the discount (term plus volume
/// tier, in whole percents) applies to the subtotal; VAT applies to what is left. Each rounding is half up, to the cent.
/// </summary>
public static class QuoteCalculator
{
    public static QuoteResult Calculate(PriceBook book, long priceBookVersion, QuoteInput input)
    {
        var plan = book.Plans[input.Plan];
        var months = input.TermYears * 12L;
        var lines = new List<QuoteLine>();
        void Add(string description, long quantity, long unit)
        {
            if (quantity > 0 && unit > 0) lines.Add(new QuoteLine(description, quantity, unit, quantity * unit)); // nothing to pay is no line
        }

        Add($"{input.Plan} seats: {input.Seats} × {months} months", input.Seats * months, plan.SeatPriceCents);
        var extraCalls = CeilDiv(Math.Max(0, input.AiCalls - plan.IncludedAiCalls), 1000);
        Add($"Extra AI calls: {extraCalls} × 1,000 per month × {months} months", extraCalls * months, plan.ExtraAiCallsPer1000Cents);
        var extraStorage = CeilDiv(Math.Max(0, input.StorageGb - plan.IncludedStorageGb), 100);
        Add($"Extra storage: {extraStorage} × 100 GB per month × {months} months", extraStorage * months, plan.ExtraStoragePer100GbCents);
        foreach (var addOn in input.AddOns.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal))
            Add($"{addOn.ToUpperInvariant()} add-on: {input.Seats} seats × {months} months", input.Seats * months, book.AddOnSeatPriceCents[addOn]);
        Add($"SLA {input.SlaTier}: {months} months", months, book.SlaTierMonthlyCents[input.SlaTier]);

        var subtotal = lines.Sum(l => l.TotalCents);
        var percent = book.TermDiscountPercent.GetValueOrDefault(input.TermYears) + VolumePercent(book, input.Seats);
        var discount = Percent(subtotal, percent);
        var vat = Percent(subtotal - discount, book.VatPercent);
        return new QuoteResult(book.Currency, lines, subtotal, discount, vat, subtotal - discount + vat, priceBookVersion);
    }

    /// <summary>The discount of the highest volume tier the seats reach.</summary>
    public static int VolumePercent(PriceBook book, int seats) =>
        book.VolumeTiers.Where(t => seats >= t.MinSeats).Select(t => t.DiscountPercent).DefaultIfEmpty(0).Max();

    /// <summary>percent % of cents, half up to the cent.</summary>
    public static long Percent(long cents, int percent) => (cents * percent + 50) / 100;

    private static long CeilDiv(long value, long by) => (value + by - 1) / by;
}

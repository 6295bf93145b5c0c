using Taskee.Grains.Sales;

namespace Taskee.Tests.Sales;

/// <summary>Quote arithmetic case by case: lines per month times the term, extra usage in started blocks, discounts, VAT, rounding.</summary>
public sealed class QuoteCalculatorTests
{
    private static PriceBook Book(long seatPrice = 1500) => new("EUR", 21,
        new Dictionary<string, PlanPrice> { ["enterprise"] = new(seatPrice, 20_000, 250, 250, 1000) },
        new Dictionary<string, long> { ["sso"] = 200, ["scim"] = 100 },
        new Dictionary<string, long> { ["none"] = 0, ["business"] = 25_000 },
        new Dictionary<int, int> { [1] = 0, [2] = 5, [3] = 10 },
        [new VolumeTier(100, 5), new VolumeTier(500, 10)]);

    private static QuoteInput Input(int seats, long aiCalls = 20_000, long storageGb = 250, string[]? addOns = null, string sla = "none", int years = 1) =>
        new("enterprise", seats, aiCalls, storageGb, addOns ?? [], sla, years);

    public static TheoryData<string, long, QuoteInput, long[], long, long, long, long> Cases => new()
    {
        // because, seat price, input, line totals, subtotal, discount, VAT, total
        { "seats only, usage within what is included", 1500, Input(10), [180_000], 180_000, 0, 37_800, 217_800 },
        { "one AI call and one GB over: one started block each", 1500, Input(10, 20_001, 251), [180_000, 3_000, 12_000], 195_000, 0, 40_950, 235_950 },
        { "add-ons per seat (sorted) and an SLA tier per month", 1500, Input(10, addOns: ["sso", "scim"], sla: "business"),
            [180_000, 12_000, 24_000, 300_000], 516_000, 0, 108_360, 624_360 },
        { "a free SLA tier is no line", 1500, Input(1, sla: "none"), [18_000], 18_000, 0, 3_780, 21_780 },
        { "two years: 5 % term discount, rounded half up", 999, Input(1, years: 2), [23_976], 23_976, 1_199, 4_783, 27_560 },
        { "100 seats for three years: volume 5 % and term 10 %", 1500, Input(100, years: 3), [5_400_000], 5_400_000, 810_000, 963_900, 5_553_900 },
        { "500 seats reach the highest tier only", 1500, Input(500), [9_000_000], 9_000_000, 900_000, 1_701_000, 9_801_000 },
        { "99 seats reach no tier", 1500, Input(99), [1_782_000], 1_782_000, 0, 374_220, 2_156_220 },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void A_quote_is_priced_in_integer_cents(string because, long seatPrice, QuoteInput input, long[] lines, long subtotal, long discount, long vat, long total)
    {
        var quote = QuoteCalculator.Calculate(Book(seatPrice), 7, input);

        Assert.True(lines.SequenceEqual(quote.Lines.Select(l => l.TotalCents)), $"{because}: {string.Join(", ", quote.Lines)}");
        Assert.All(quote.Lines, l => Assert.Equal(l.Quantity * l.UnitPriceCents, l.TotalCents));
        Assert.Equal(subtotal, quote.SubtotalCents);
        Assert.Equal(discount, quote.DiscountCents);
        Assert.Equal(vat, quote.VatCents);
        Assert.Equal(total, quote.TotalCents);
        Assert.Equal("EUR", quote.Currency);
        Assert.Equal(7, quote.PriceBookVersion);
    }

    [Theory]
    [InlineData(1_150, 1, 12)] // 11.5 cents: half up
    [InlineData(1_149, 1, 11)]
    [InlineData(100, 21, 21)]
    [InlineData(0, 21, 0)]
    public void Percentages_round_half_up_to_the_cent(long cents, int percent, long expected) =>
        Assert.Equal(expected, QuoteCalculator.Percent(cents, percent));
}

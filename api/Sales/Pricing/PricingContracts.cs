using Taskee.Api.Infrastructure;
using Taskee.Grains.Sales;

namespace Taskee.Api.Sales.Pricing;

/// <summary>
/// <c>POST /v1/quotes/calculate</c>: per month usage (<c>aiCalls</c>, <c>storageGb</c>) and seats, for a contract of
/// <c>termYears</c>. Plans, add-ons and SLA tiers are those of the current price book (<c>GET /v1/price-book</c>).
/// </summary>
public sealed record CalculateQuoteRequest(string? Plan, int? Seats, long? AiCalls, long? StorageGb, List<string>? AddOns, string? SlaTier, int? TermYears)
{
    public const int MaxSeats = 100_000;
    public const long MaxAiCalls = 1_000_000_000;
    public const long MaxStorageGb = 10_000_000;

    /// <summary>Checks the request against the book it will be priced from.</summary>
    public void Validate(PriceBook book, ValidationErrors errors)
    {
        if (Plan is null || !book.Plans.ContainsKey(Plan)) errors.Add("plan", $"plan is required: one of {string.Join(", ", book.Plans.Keys.Order())}.");
        if (Seats is not (>= 1 and <= MaxSeats)) errors.Add("seats", $"seats is required: 1 to {MaxSeats}.");
        if (AiCalls is < 0 or > MaxAiCalls) errors.Add("aiCalls", $"aiCalls is the AI calls per month, 0 to {MaxAiCalls}.");
        if (StorageGb is < 0 or > MaxStorageGb) errors.Add("storageGb", $"storageGb is the storage in GB, 0 to {MaxStorageGb}.");
        foreach (var addOn in (AddOns ?? []).Where(a => !book.AddOnSeatPriceCents.ContainsKey(a)))
            errors.Add("addOns", $"Unknown add-on '{addOn}'; use {string.Join(", ", book.AddOnSeatPriceCents.Keys.Order())}.");
        if (SlaTier is not null && !book.SlaTierMonthlyCents.ContainsKey(SlaTier))
            errors.Add("slaTier", $"Unknown slaTier '{SlaTier}'; use {string.Join(", ", book.SlaTierMonthlyCents.Keys.Order())}.");
        if (TermYears is not null && !book.TermDiscountPercent.ContainsKey(TermYears.Value))
            errors.Add("termYears", $"termYears is one of {string.Join(", ", book.TermDiscountPercent.Keys.Order())}.");
    }

    /// <summary>The input as priced: no SLA tier is the book's cheapest, no term is one year.</summary>
    public QuoteInput ToInput(PriceBook book) => new(Plan!, Seats!.Value, AiCalls ?? 0, StorageGb ?? 0, AddOns ?? [],
        SlaTier ?? book.SlaTierMonthlyCents.MinBy(t => t.Value).Key, TermYears ?? 1);
}

/// <summary><c>PUT /v1/price-book</c>: a whole new version. Money in integer cents of <c>currency</c> (EUR).</summary>
public sealed record PriceBookRequest(
    string? Currency,
    int? VatPercent,
    Dictionary<string, PlanPrice>? Plans,
    Dictionary<string, long>? AddOnSeatPriceCents,
    Dictionary<string, long>? SlaTierMonthlyCents,
    Dictionary<int, int>? TermDiscountPercent,
    List<VolumeTier>? VolumeTiers) : IValidatable
{
    public void Validate(ValidationErrors errors)
    {
        if (Currency != "EUR") errors.Add("currency", "currency must be EUR: Taskee quotes in euros.");
        if (VatPercent is not (>= 0 and <= 100)) errors.Add("vatPercent", "vatPercent is required: 0 to 100 (21 in the Netherlands).");
        if (Plans is not { Count: > 0 }) errors.Add("plans", "plans is required: at least one plan with its prices.");
        else if (Plans.Values.Any(p => p is null || p.SeatPriceCents < 0 || p.IncludedAiCalls < 0 || p.IncludedStorageGb < 0
                     || p.ExtraAiCallsPer1000Cents < 0 || p.ExtraStoragePer100GbCents < 0))
            errors.Add("plans", "Every plan's prices and included amounts are zero or more.");
        if (AddOnSeatPriceCents is null || AddOnSeatPriceCents.Values.Any(v => v < 0)) errors.Add("addOnSeatPriceCents", "addOnSeatPriceCents is required: prices of zero or more.");
        if (SlaTierMonthlyCents is not { Count: > 0 } || SlaTierMonthlyCents.Values.Any(v => v < 0))
            errors.Add("slaTierMonthlyCents", "slaTierMonthlyCents is required: at least one tier, prices of zero or more.");
        if (TermDiscountPercent is not { Count: > 0 } || TermDiscountPercent.Any(t => t.Key is < 1 or > 10 || t.Value is < 0 or > 50))
            errors.Add("termDiscountPercent", "termDiscountPercent is required: years (1 to 10) to a discount of 0 to 50 percent.");
        if (VolumeTiers is null || VolumeTiers.Any(t => t is null || t.MinSeats < 1 || t.DiscountPercent is < 0 or > 40))
            errors.Add("volumeTiers", "volumeTiers is required (may be empty): minSeats 1 or more, discountPercent 0 to 40.");
    }

    public PriceBook ToPriceBook() => new(Currency!, VatPercent!.Value, Plans!, AddOnSeatPriceCents!, SlaTierMonthlyCents!, TermDiscountPercent!,
        VolumeTiers!.OrderBy(t => t.MinSeats).ToList());
}

public sealed record PriceBookResponse(long Version, DateTimeOffset CreatedAt, PriceBook Book);

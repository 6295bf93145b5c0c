namespace Taskee.Grains.Sales;

/// <summary>What one plan costs: money in integer cents of the book's currency, per month.</summary>
/// <param name="IncludedAiCalls">AI calls per month included in the seat price (for the whole organisation).</param>
/// <param name="IncludedStorageGb">Storage included, in GB.</param>
/// <param name="ExtraAiCallsPer1000Cents">Each further 1,000 AI calls (or part of it) per month.</param>
/// <param name="ExtraStoragePer100GbCents">Each further 100 GB (or part of it) per month.</param>
public sealed record PlanPrice(
    long SeatPriceCents,
    long IncludedAiCalls,
    long IncludedStorageGb,
    long ExtraAiCallsPer1000Cents,
    long ExtraStoragePer100GbCents);

/// <summary>From this many seats on, the seats are discounted by this many percent.</summary>
public sealed record VolumeTier(int MinSeats, int DiscountPercent);

/// <summary>
/// The prices sales quotes from, edited by platform admins and stored by version: a quote names the version it used.
/// Add-ons are per seat per month, SLA tiers per month; term discounts are percents per contract length in years.
/// </summary>
public sealed record PriceBook(
    string Currency,
    int VatPercent,
    IReadOnlyDictionary<string, PlanPrice> Plans,
    IReadOnlyDictionary<string, long> AddOnSeatPriceCents,
    IReadOnlyDictionary<string, long> SlaTierMonthlyCents,
    IReadOnlyDictionary<int, int> TermDiscountPercent,
    IReadOnlyList<VolumeTier> VolumeTiers);

using System.Collections.Immutable;
using Taskee.Grains.Interfaces;
using Taskee.Grains.Storage;

namespace Taskee.Api.Sales.Onboarding;

/// <summary>
/// The custom enterprise plan a won quote puts its organisation on: the quoted seats, AI calls per month and storage as its
/// limits; the quoted plan's features with SSO and SCIM only as the add-ons bought, and the SLA tier as feature
/// <c>sla_&lt;tier&gt;</c>. Pure, so provisioning again gives the same plan.
/// </summary>
public static class CustomPlanFromQuote
{
    private const long BytesPerGb = 1L << 30; // the public plans count storage in GiB too

    private const int MaxNameLength = 200;

    /// <summary>One plan per quote version: <c>custom-q-2026-0001-v1</c>.</summary>
    public static string PlanId(QuoteRecord quote) => $"custom-{quote.Number.ToLowerInvariant()}-v{quote.Version}";

    public static string SlaFeature(string tier) => $"sla_{tier}";

    public static Plan Build(QuoteRecord quote, string organisationName, Plan? quotedPlan)
    {
        var input = quote.Input;
        var features = (quotedPlan?.Features ?? []).Where(f => f is not (Features.Sso or Features.Scim)).Concat(input.AddOns);
        if (input.SlaTier != "none") features = features.Append(SlaFeature(input.SlaTier));
        var name = $"{organisationName} ({quote.Number} v{quote.Version})";
        return new Plan(PlanId(quote), name.Length <= MaxNameLength ? name : name[..MaxNameLength], Custom: true,
            new Dictionary<string, long>
            {
                [Metrics.Seats] = input.Seats,
                [Metrics.AiCalls] = input.AiCalls,
                [Metrics.StorageBytes] = input.StorageGb * BytesPerGb,
            }.ToImmutableSortedDictionary(StringComparer.Ordinal),
            features.ToImmutableSortedSet(StringComparer.Ordinal),
            quotedPlan?.Policies ?? ImmutableSortedDictionary<string, string>.Empty,
            Version: 0);
    }
}

using System.Collections.Immutable;
using System.Text.RegularExpressions;

namespace Taskee.Grains.Interfaces;

/// <summary>An organisation (tenant) as stored: its plan, status, the overrides an admin set and its billing facts.</summary>
public sealed record Organisation(
    string Id,
    string Name,
    string PlanId,
    string Status,
    ImmutableSortedDictionary<string, long> LimitOverrides,
    ImmutableSortedDictionary<string, bool> FeatureOverrides,
    DateTimeOffset? BillingAnchor,
    long Version,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt)
{
    /// <summary>Its Stripe billing facts; null while it was never linked to Stripe.</summary>
    public OrganisationBilling? Billing { get; init; }
}

public static partial class OrganisationId
{
    /// <summary>A slug: lower-case letters, digits and '-', 3 to 63 characters, not starting with '-'.</summary>
    public static bool IsValid(string? id) => id is not null && SlugPattern().IsMatch(id);

    [GeneratedRegex("^[a-z0-9][a-z0-9-]{2,62}$", RegexOptions.CultureInvariant)]
    private static partial Regex SlugPattern();
}

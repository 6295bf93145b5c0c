using System.Collections.Immutable;
using System.Text.RegularExpressions;

namespace Taskee.Grains.Interfaces;

/// <summary>An organisation (tenant) as stored: its plan, status, the overrides an admin set and its billing facts.</summary>
[GenerateSerializer, Immutable]
[Alias("Organisation")]
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
    [Id(100)]
    public OrganisationBilling? Billing { get; init; }

    /// <summary>Its own audit retention in days, overriding its plan's (<see cref="AuditRetention"/>); null follows the plan.</summary>
    [Id(101)]
    public int? AuditRetentionDays { get; init; }

    /// <summary>Set while it is being offboarded: blocked from use, its export offered, deleted after the window.</summary>
    [Id(102)]
    public OrganisationOffboarding? Offboarding { get; init; }
}

/// <summary>An offboarding in progress: asked at <paramref name="RequestedAt"/>, the organisation deleted after <paramref name="DeleteAfter"/>.</summary>
[GenerateSerializer, Immutable]
[Alias("OrganisationOffboarding")]
public sealed record OrganisationOffboarding(DateTimeOffset RequestedAt, DateTimeOffset DeleteAfter);

public static partial class OrganisationId
{
    /// <summary>A slug: lower-case letters, digits and '-', 3 to 63 characters, not starting with '-'.</summary>
    public static bool IsValid(string? id) => id is not null && SlugPattern().IsMatch(id);

    [GeneratedRegex("^[a-z0-9][a-z0-9-]{2,62}$", RegexOptions.CultureInvariant)]
    private static partial Regex SlugPattern();
}

/// <summary>How a change to an organisation is stamped before it is written: version, times in storage precision.</summary>
public static class OrganisationStamp
{
    /// <summary>The first version of a new organisation, created at <paramref name="now"/>.</summary>
    public static Organisation First(Organisation organisation, DateTimeOffset now) =>
        organisation with { Version = 1, CreatedAt = ToMilliseconds(now), UpdatedAt = ToMilliseconds(now) };

    /// <summary><paramref name="updated"/> as the version after <paramref name="current"/>.</summary>
    public static Organisation Next(Organisation current, Organisation updated, DateTimeOffset now) =>
        updated with { Id = current.Id, Version = current.Version + 1, CreatedAt = current.CreatedAt, UpdatedAt = ToMilliseconds(now) };

    /// <summary>Storage keeps milliseconds; a stamped value must equal what a later read gives.</summary>
    public static DateTimeOffset ToMilliseconds(DateTimeOffset t) =>
        new(t.UtcTicks - t.UtcTicks % TimeSpan.TicksPerMillisecond, TimeSpan.Zero);
}

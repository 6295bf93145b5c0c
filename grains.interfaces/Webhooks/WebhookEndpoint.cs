using System.Collections.Immutable;

namespace Taskee.Grains.Interfaces;

/// <summary>
/// An organisation's subscription of a URL to its audit events, as stored (the signing secrets are kept apart, see
/// <see cref="WebhookSecrets"/>). <see cref="Events"/> holds exact event types (<c>org.limit.set</c>) and prefixes
/// (<c>org.*</c>, <c>*</c>).
/// </summary>
/// <param name="Id">"wh_" and a ULID; unique in the cluster.</param>
/// <param name="DisabledReason">Why the service stopped delivery (the retry window ran out); null when enabled or disabled by an admin.</param>
/// <param name="PreviousSecretExpiresAt">While set and in the future, the previous secret signs beside the current one.</param>
[GenerateSerializer, Immutable]
[Alias("WebhookEndpoint")]
public sealed record WebhookEndpoint(
    string Id,
    string OrgId,
    string Url,
    ImmutableArray<string> Events,
    string? Description,
    bool Enabled,
    string? DisabledReason,
    long Version,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    DateTimeOffset? PreviousSecretExpiresAt)
{
    public const string IdPrefix = "wh_";

    /// <summary>Whether an event of type <paramref name="eventType"/> goes to this endpoint.</summary>
    public bool Matches(string eventType) => WebhookEventFilter.Matches(Events, eventType);
}

/// <summary>The signing secrets of an endpoint, in the clear (the store protects them at rest).</summary>
/// <param name="Current">"whsec_" and base64 of 32 random bytes.</param>
public sealed record WebhookSecrets(string Current, string? Previous, DateTimeOffset? PreviousExpiresAt)
{
    public const string Prefix = "whsec_";

    /// <summary>The secrets that sign a message at <paramref name="now"/>: the current one, and the previous one during its grace.</summary>
    public IReadOnlyList<string> SigningAt(DateTimeOffset now) =>
        Previous is not null && PreviousExpiresAt > now ? [Current, Previous] : [Current];

    /// <summary>A new secret: "whsec_" and base64 of 32 random bytes, as the Standard Webhooks libraries expect.</summary>
    public static string NewSecret() =>
        Prefix + Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));
}

/// <summary>How an endpoint's event list selects event types.</summary>
public static class WebhookEventFilter
{
    /// <summary>True when <paramref name="eventType"/> is listed exactly, or falls under a listed prefix ("org.*") or "*".</summary>
    public static bool Matches(IEnumerable<string> filters, string eventType)
    {
        foreach (var filter in filters)
        {
            if (filter == "*" || filter == eventType) return true;
            if (filter.EndsWith(".*", StringComparison.Ordinal)
                && eventType.StartsWith(filter.AsSpan(0, filter.Length - 1), StringComparison.Ordinal)) return true;
        }
        return false;
    }
}

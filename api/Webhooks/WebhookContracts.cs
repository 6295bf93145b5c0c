using System.Text.Json;
using Taskee.Api.Infrastructure;
using Taskee.Grains.Interfaces;

namespace Taskee.Api.Webhooks;

/// <param name="Events">Exact event types (<c>org.limit.set</c>), prefixes (<c>org.*</c>) or <c>*</c>; see GET /v1/webhooks/event-types.</param>
/// <param name="Enabled">Default true.</param>
public sealed record CreateWebhookRequest(string? Url, List<string>? Events, string? Description = null, bool? Enabled = null) : IValidatable
{
    public void Validate(ValidationErrors errors)
    {
        WebhookUrlPolicy.ValidateShape(Url, errors);
        WebhookFields.ValidateEvents(Events, required: true, errors);
        WebhookFields.ValidateDescription(Description, errors);
    }
}

/// <summary>A partial update: absent (or null) fields stay as they are; an empty description removes it.</summary>
public sealed record PatchWebhookRequest(string? Url = null, List<string>? Events = null, string? Description = null, bool? Enabled = null) : IValidatable
{
    public void Validate(ValidationErrors errors)
    {
        if (Url is null && Events is null && Description is null && Enabled is null)
            errors.Add("body", "Give at least one of url, events, description, enabled.");
        if (Url is not null) WebhookUrlPolicy.ValidateShape(Url, errors);
        WebhookFields.ValidateEvents(Events, required: false, errors);
        WebhookFields.ValidateDescription(Description, errors);
    }
}

/// <summary>An endpoint as the API shows it: never its secret.</summary>
/// <param name="DisabledReason">Why the service stopped delivering (the retry window ran out); null when enabled or disabled by an admin.</param>
/// <param name="PreviousSecretValidUntil">After a rotation, the previous secret signs beside the current one until then.</param>
public record WebhookResponse(
    string Id,
    string Url,
    IReadOnlyList<string> Events,
    string? Description,
    bool Enabled,
    string? DisabledReason,
    long Version,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    DateTimeOffset? PreviousSecretValidUntil)
{
    public static WebhookResponse From(WebhookEndpoint e) => new(e.Id, e.Url, e.Events, e.Description, e.Enabled, e.DisabledReason, e.Version,
        e.CreatedAt, e.UpdatedAt, e.PreviousSecretExpiresAt);
}

/// <summary>The one answer that carries the signing secret of a new endpoint; it cannot be shown again.</summary>
public sealed record CreatedWebhookResponse : WebhookResponse
{
    public CreatedWebhookResponse(WebhookResponse endpoint, string secret) : base(endpoint) => Secret = secret;

    /// <summary><c>whsec_</c> and base64 of 32 random bytes, as every Standard Webhooks library takes it.</summary>
    public string Secret { get; }
}

public sealed record WebhookList(IReadOnlyList<WebhookResponse> Items);

/// <summary>The new signing secret (shown once), and until when the previous one still signs beside it.</summary>
public sealed record RotatedWebhookSecretResponse(string Id, string Secret, DateTimeOffset PreviousSecretValidUntil);

public sealed record WebhookEventTypeList(IReadOnlyList<WebhookEventType> Items);

internal static class WebhookFields
{
    public const int MaxDescriptionLength = 500;
    public const int MaxEvents = 100;

    public static void ValidateEvents(List<string>? events, bool required, ValidationErrors errors)
    {
        if (events is null)
        {
            if (required) errors.Add("events", "events is required: event types (org.limit.set), prefixes (org.*) or '*'; see GET /v1/webhooks/event-types.");
            return;
        }
        if (events.Count == 0 || events.Count > MaxEvents)
        {
            errors.Add("events", $"events must list 1 to {MaxEvents} event types, prefixes (org.*) or '*'.");
            return;
        }
        var unknown = events.Where(e => e is null || !WebhookEventCatalog.IsValidFilter(e)).ToList();
        if (unknown.Count > 0)
            errors.Add("events", $"Unknown event type {string.Join(", ", unknown.Select(u => $"'{u}'"))}; use '*', a prefix of these ending in '.*' "
                + $"(like 'org.*'), or one of: {string.Join(", ", WebhookEventCatalog.Types.Order(StringComparer.Ordinal))}.");
    }

    public static void ValidateDescription(string? description, ValidationErrors errors)
    {
        if (description is { Length: > MaxDescriptionLength })
            errors.Add("description", $"description must be at most {MaxDescriptionLength} characters.");
    }

    /// <summary>The filter as stored: each entry once, in the order given.</summary>
    public static IEnumerable<string> Normalise(IEnumerable<string> events) => events.Distinct(StringComparer.Ordinal);

    /// <summary>The audit log's before/after form of an endpoint: its settings, never a secret.</summary>
    public static string AuditJson(WebhookEndpoint e) =>
        JsonSerializer.Serialize(new { url = e.Url, events = e.Events, description = e.Description, enabled = e.Enabled }, AuditJsonOptions.Options);
}

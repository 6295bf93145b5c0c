namespace Taskee.Api.Sales.Crm;

/// <summary>Configuration section <c>Crm</c>: where qualified leads and their status changes are handed off. Secrets are never logged.</summary>
public sealed class CrmOptions
{
    public const string Section = "Crm";

    public const string HubSpot = "hubspot";
    public const string Webhook = "webhook";
    public const string None = "none";

    /// <summary><c>hubspot</c>, <c>webhook</c> or <c>none</c> (leads are kept and their hand-offs wait until a provider is set).</summary>
    public string Provider { get; set; } = None;

    /// <summary>HubSpot's API (<c>https://api.hubapi.com</c>), or the URL the webhook is posted to.</summary>
    public string? BaseUrl { get; set; }

    /// <summary>HubSpot: the private app's access token. Webhook: optional, sent as a bearer token.</summary>
    public string? Token { get; set; }

    /// <summary>Webhook: the Standard Webhooks signing secret (<c>whsec_</c> and base64) the receiver verifies with.</summary>
    public string? WebhookSecret { get; set; }

    /// <summary>How often pending hand-offs are looked for.</summary>
    public TimeSpan DeliveryInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Time limit of one call to the CRM.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(10);
}

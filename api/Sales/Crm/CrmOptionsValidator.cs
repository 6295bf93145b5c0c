using Microsoft.Extensions.Options;

namespace Taskee.Api.Sales.Crm;

/// <summary>Rejects CRM settings that cannot work, naming the setting and what to set; never echoes a secret.</summary>
public sealed class CrmOptionsValidator : IValidateOptions<CrmOptions>
{
    private const string SecretPrefix = "whsec_";

    public ValidateOptionsResult Validate(string? name, CrmOptions options)
    {
        var failures = new List<string>();
        switch (options.Provider)
        {
            case CrmOptions.None:
                break;
            case CrmOptions.HubSpot or CrmOptions.Webhook:
                if (!Uri.TryCreate(options.BaseUrl, UriKind.Absolute, out var uri) || uri.Scheme is not ("https" or "http"))
                    failures.Add(options.Provider == CrmOptions.HubSpot
                        ? "Crm:BaseUrl is required for Crm:Provider=hubspot: set it to https://api.hubapi.com."
                        : "Crm:BaseUrl is required for Crm:Provider=webhook: set it to the absolute http(s) URL the leads are posted to.");
                if (options.Provider == CrmOptions.HubSpot && string.IsNullOrWhiteSpace(options.Token))
                    failures.Add("Crm:Token is required for Crm:Provider=hubspot: set it to the access token of a HubSpot private app with the crm.objects contacts, companies and deals write scopes.");
                if (options.Provider == CrmOptions.Webhook && !IsSigningSecret(options.WebhookSecret))
                    failures.Add("Crm:WebhookSecret is required for Crm:Provider=webhook: 'whsec_' followed by base64 of 24 to 64 random bytes (for example: echo whsec_$(openssl rand -base64 32)); give the receiver the same value.");
                break;
            default:
                failures.Add($"Crm:Provider '{options.Provider}' is not known; use hubspot, webhook or none.");
                break;
        }
        if (options.DeliveryInterval < TimeSpan.FromSeconds(1) || options.DeliveryInterval > TimeSpan.FromHours(1))
            failures.Add("Crm:DeliveryInterval must be between 00:00:01 and 01:00:00 (default 00:00:10).");
        if (options.Timeout < TimeSpan.FromSeconds(1) || options.Timeout > TimeSpan.FromMinutes(1))
            failures.Add("Crm:Timeout must be between 00:00:01 and 00:01:00 (default 00:00:10).");
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static bool IsSigningSecret(string? secret)
    {
        if (secret is null || !secret.StartsWith(SecretPrefix, StringComparison.Ordinal)) return false;
        var bytes = new byte[64];
        return Convert.TryFromBase64String(secret[SecretPrefix.Length..], bytes, out var length) && length >= 24;
    }
}

using Microsoft.Extensions.Options;

namespace Taskee.Api.Billing.Stripe;

/// <summary>Rejects Stripe settings that cannot work, naming the setting; never echoes a secret.</summary>
public sealed class StripeOptionsValidator : IValidateOptions<StripeOptions>
{
    public ValidateOptionsResult Validate(string? name, StripeOptions options)
    {
        var failures = new List<string>();
        for (var i = 0; i < options.WebhookSecrets.Length; i++)
        {
            var secret = options.WebhookSecrets[i];
            if (!string.IsNullOrWhiteSpace(secret) && !secret.StartsWith("whsec_", StringComparison.Ordinal))
                failures.Add($"Billing:Stripe:WebhookSecrets:{i} is not a webhook signing secret; copy the 'whsec_...' value of the endpoint (dashboard) or of 'stripe listen'.");
        }
        if (options.WebhookSecrets.Count(s => !string.IsNullOrWhiteSpace(s)) > 2)
            failures.Add("Billing:Stripe:WebhookSecrets has more than two secrets; keep the current one and, during a rotation, the previous one.");
        if (options.HasApiKey && !(options.ApiKey!.StartsWith("sk_", StringComparison.Ordinal) || options.ApiKey.StartsWith("rk_", StringComparison.Ordinal)))
            failures.Add("Billing:Stripe:ApiKey is not a Stripe secret or restricted key; it starts with 'sk_' or 'rk_'.");
        if (!Uri.TryCreate(options.BaseUrl, UriKind.Absolute, out var uri) || uri.Scheme is not ("https" or "http"))
            failures.Add($"Billing:Stripe:BaseUrl '{options.BaseUrl}' is not an absolute http(s) URL; leave it unset for https://api.stripe.com.");
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}

using Taskee.Api.Sales.Crm;

namespace Taskee.Tests.Sales;

/// <summary>CRM settings are checked at start-up; a bad one names the setting and what to set, never the secret.</summary>
public sealed class CrmOptionsTests
{
    private const string GoodSecret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

    [Theory]
    [InlineData("none", null, null, null, null)]
    [InlineData("hubspot", "https://api.hubapi.com", "pat-eu1-x", null, null)]
    [InlineData("webhook", "https://crm.example/hooks/leads", null, GoodSecret, null)]
    [InlineData("hubspot", null, "pat-eu1-x", null, "Crm:BaseUrl is required for Crm:Provider=hubspot")]
    [InlineData("hubspot", "https://api.hubapi.com", null, null, "Crm:Token is required")]
    [InlineData("webhook", "not a url", null, GoodSecret, "Crm:BaseUrl is required for Crm:Provider=webhook")]
    [InlineData("webhook", "https://crm.example/hook", null, null, "Crm:WebhookSecret is required")]
    [InlineData("webhook", "https://crm.example/hook", null, "sk_live_not_a_signing_secret", "Crm:WebhookSecret is required")]
    [InlineData("webhook", "https://crm.example/hook", null, "whsec_c2hvcnQ=", "Crm:WebhookSecret is required")]
    [InlineData("salesforce", null, null, null, "Crm:Provider 'salesforce' is not known; use hubspot, webhook or none.")]
    public void Settings_that_cannot_work_are_refused_by_name(string provider, string? baseUrl, string? token, string? secret, string? failure)
    {
        var result = new CrmOptionsValidator().Validate(null, new CrmOptions { Provider = provider, BaseUrl = baseUrl, Token = token, WebhookSecret = secret });

        if (failure is null)
        {
            Assert.True(result.Succeeded, result.FailureMessage);
            return;
        }
        Assert.True(result.Failed);
        Assert.Contains(failure, result.FailureMessage, StringComparison.Ordinal);
        if (secret is not null) Assert.DoesNotContain(secret, result.FailureMessage, StringComparison.Ordinal);
    }
}

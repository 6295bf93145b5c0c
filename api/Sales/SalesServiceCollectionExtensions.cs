using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Taskee.Api.Sales.Crm;
using Taskee.Api.Sales.Onboarding;
using Taskee.Api.Sales.Pricing;
using Taskee.Grains.Jobs;

namespace Taskee.Api.Sales;

public static class SalesServiceCollectionExtensions
{
    /// <summary>The sales intake (abuse limits, form tokens) and the CRM hand-off (settings, adapters, the outbox job).</summary>
    public static IServiceCollection AddTaskeeSales(this IServiceCollection services)
    {
        services.AddOptions<LeadOptions>().BindConfiguration(LeadOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<CrmOptions>().BindConfiguration(CrmOptions.Section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<CrmOptions>, CrmOptionsValidator>();
        services.AddSingleton<FormTokens>();
        services.AddRateLimiter(limiter =>
        {
            limiter.AddPolicy<string, LeadIntakeRateLimit>(LeadIntakeRateLimit.Name);
            limiter.AddPolicy<string, QuoteCalculatorRateLimit>(QuoteCalculatorRateLimit.Name);
        });

        services.AddCrmHttpClient();
        services.AddSingleton<ICrmAdapter, HubSpotCrm>();
        services.AddSingleton<ICrmAdapter, WebhookCrm>();
        services.AddSingleton<CrmOutbox>();
        services.AddSingleton<IPeriodicJob>(sp => sp.GetRequiredService<CrmOutbox>());
        services.AddSingleton<WonQuoteProvisioner>();
        services.AddSingleton<IPeriodicJob>(sp => sp.GetRequiredService<WonQuoteProvisioner>());
        return services;
    }

    public static WebApplication MapTaskeeSales(this WebApplication app)
    {
        app.MapEnterprisePage();
        app.MapLeadIntakeEndpoints();
        app.MapLeadKpiEndpoints();
        app.MapLeadEndpoints();
        app.MapPricingEndpoints();
        app.MapQuoteEndpoints();
        app.MapQuoteDecisionEndpoints();
        app.MapOnboardingEndpoints();
        return app;
    }
}

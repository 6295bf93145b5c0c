using Taskee.Grains.Jobs;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Taskee.Api.Billing.Invoicing;
using Taskee.Api.Billing.Processing;
using Taskee.Api.Billing.Reconciliation;
using Taskee.Api.Billing.Stripe;
using Taskee.Api.Billing.Webhooks;
using Taskee.Api.Infrastructure;

namespace Taskee.Api.Billing;

public static class BillingServiceCollectionExtensions
{
    /// <summary>
    /// Billing: settings, the Stripe client, webhook receipt, the event processor, deadline checks and scheduled
    /// reconciliation. Storage and the grain layer come from the host.
    /// </summary>
    public static IServiceCollection AddTaskeeBilling(this IServiceCollection services)
    {
        services.AddOptions<BillingOptions>().BindConfiguration(BillingOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<IValidateOptions<BillingOptions>, BillingOptionsValidator>();
        services.AddOptions<StripeOptions>().BindConfiguration(StripeOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<IValidateOptions<StripeOptions>, StripeOptionsValidator>();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<StartupGate>();

        // One long-lived HttpClient inside Stripe.net's client: connections are renewed by the handler, not by the factory.
        services.AddHttpClient(StripeApi.HttpClientName, (sp, http) => http.Timeout = sp.GetRequiredService<IOptions<StripeOptions>>().Value.Timeout)
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) })
            .SetHandlerLifetime(Timeout.InfiniteTimeSpan);
        services.AddSingleton<StripeApi>();
        services.AddSingleton<BillingApplier>();
        services.AddSingleton<StripeEventHandler>();
        services.AddSingleton<StripeWebhookReceiver>();
        services.AddSingleton<BillingReconciler>();
        services.AddSingleton<ManualInvoicing>();

        services.AddSingleton<StripeEventProcessor>();
        services.AddHostedService(sp => sp.GetRequiredService<StripeEventProcessor>());
        services.AddSingleton<Webhooks.StripeWebhookHealth>();
        services.AddSingleton<Ops.IWebhookHealth>(sp => sp.GetRequiredService<Webhooks.StripeWebhookHealth>());
        services.AddSingleton<BillingDeadlineJob>();
        services.AddSingleton<IPeriodicJob>(sp => sp.GetRequiredService<BillingDeadlineJob>());
        services.AddSingleton<IPeriodicJob, BillingReconcileJob>();
        return services;
    }
}

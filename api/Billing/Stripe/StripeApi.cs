using Microsoft.Extensions.Options;
using Stripe;
using Stripe.Checkout;

namespace Taskee.Api.Billing.Stripe;

/// <summary>
/// Stripe's API through Stripe.net: one <see cref="StripeClient"/> over the named HttpClient (its timeout), with
/// Stripe.net's own network retries (<see cref="StripeOptions.MaxRetries"/>: connection failures, 409, 5xx and whatever
/// Stripe marks <c>Stripe-Should-Retry</c>; every POST carries an idempotency key, so a retry is applied once).
/// </summary>
public sealed class StripeApi
{
    /// <summary>The named HttpClient (the configured timeout, connections renewed every few minutes).</summary>
    public const string HttpClientName = "stripe";

    private readonly Lazy<StripeClient> _client;

    public StripeApi(IHttpClientFactory httpClients, IOptions<StripeOptions> options)
    {
        var settings = options.Value;
        IsConfigured = settings.HasApiKey;
        _client = new Lazy<StripeClient>(() =>
        {
            if (!settings.HasApiKey) throw new InvalidOperationException("Billing:Stripe:ApiKey is not set; Stripe's API cannot be called.");
            return new StripeClient(new StripeClientOptions
            {
                ApiKey = settings.ApiKey,
                ApiBase = settings.BaseUrl.TrimEnd('/'),
                HttpClient = new SystemNetHttpClient(httpClients.CreateClient(HttpClientName), settings.MaxRetries, appInfo: null, enableTelemetry: false),
            });
        });
    }

    public bool IsConfigured { get; }

    public SubscriptionService Subscriptions => new(_client.Value);

    public InvoiceService Invoices => new(_client.Value);

    public InvoiceItemService InvoiceItems => new(_client.Value);

    public CustomerService Customers => new(_client.Value);

    public ChargeService Charges => new(_client.Value);

    public DisputeService Disputes => new(_client.Value);

    public SessionService CheckoutSessions => new(_client.Value);
}

using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Taskee.Api.Billing.Stripe;

/// <summary>
/// Stripe's REST API over <see cref="HttpClient"/>: form-encoded POSTs, each with an Idempotency-Key (the same key on
/// every retry, so a retried POST is applied once); GETs; retries with exponential back-off and jitter on 429, 5xx and
/// connection failures (honouring <c>Stripe-Should-Retry</c> and <c>Retry-After</c>); failures as <see cref="StripeApiException"/>.
/// </summary>
public sealed class StripeClient(IHttpClientFactory httpClients, IOptions<StripeOptions> options, TimeProvider clock, ILogger<StripeClient> logger)
{
    /// <summary>The named HttpClient (pooled handlers, the configured timeout).</summary>
    public const string HttpClientName = "stripe";

    private static readonly TimeSpan MaxDelay = TimeSpan.FromSeconds(30);

    public bool IsConfigured => options.Value.HasApiKey;

    /// <summary>GET <paramref name="path"/> (e.g. <c>v1/subscriptions/sub_123</c>, query included).</summary>
    public Task<JsonElement> GetAsync(string path, CancellationToken ct = default) =>
        SendAsync(HttpMethod.Get, path, form: null, idempotencyKey: null, ct);

    /// <summary>POST a form to <paramref name="path"/>; <paramref name="idempotencyKey"/> makes retries (ours and the caller's) safe.</summary>
    public Task<JsonElement> PostAsync(string path, IReadOnlyList<KeyValuePair<string, string>> form, string idempotencyKey, CancellationToken ct = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(idempotencyKey);
        return SendAsync(HttpMethod.Post, path, form, idempotencyKey, ct);
    }

    private async Task<JsonElement> SendAsync(HttpMethod method, string path, IReadOnlyList<KeyValuePair<string, string>>? form,
        string? idempotencyKey, CancellationToken ct)
    {
        var settings = options.Value;
        if (!settings.HasApiKey) throw new InvalidOperationException("Billing:Stripe:ApiKey is not set; Stripe's API cannot be called.");

        var http = httpClients.CreateClient(HttpClientName);
        for (var attempt = 0; ; attempt++)
        {
            using var request = new HttpRequestMessage(method, new Uri(new Uri(settings.BaseUrl.TrimEnd('/') + "/"), path));
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", settings.ApiKey);
            if (idempotencyKey is not null) request.Headers.Add("Idempotency-Key", idempotencyKey);
            if (form is not null) request.Content = new FormUrlEncodedContent(form);

            HttpStatusCode? status = null;
            TimeSpan? retryAfter = null;
            StripeApiException failure;
            try
            {
                using var response = await http.SendAsync(request, ct);
                var body = await response.Content.ReadAsStringAsync(ct);
                if (response.IsSuccessStatusCode)
                {
                    using var document = JsonDocument.Parse(body);
                    return document.RootElement.Clone();
                }

                status = response.StatusCode;
                retryAfter = response.Headers.RetryAfter?.Delta;
                failure = StripeApiException.FromResponse(response.StatusCode, body,
                    response.Headers.TryGetValues("Request-Id", out var ids) ? ids.FirstOrDefault() : null);
                var shouldRetry = response.Headers.TryGetValues("Stripe-Should-Retry", out var values) ? values.FirstOrDefault() : null;
                var retryable = shouldRetry switch
                {
                    "true" => true,
                    "false" => false,
                    _ => failure.IsTransient,
                };
                if (!retryable || attempt >= settings.MaxRetries)
                {
                    BillingLog.StripeFailed(logger, method.Method, PathOnly(path), failure.Type, failure.Code);
                    throw failure;
                }
            }
            catch (Exception ex) when (ex is HttpRequestException or IOException
                || (ex is TaskCanceledException && !ct.IsCancellationRequested))
            {
                // No answer (refused, reset, timed out): retried like a 5xx; the idempotency key makes it safe for POSTs.
                failure = new StripeApiException(null, StripeApiException.ConnectionError, null, ex.Message);
                if (attempt >= settings.MaxRetries)
                {
                    BillingLog.StripeFailed(logger, method.Method, PathOnly(path), failure.Type, failure.Code);
                    throw failure;
                }
            }

            var delay = Backoff(settings.RetryBaseDelay, attempt, retryAfter);
            BillingLog.StripeRetry(logger, method.Method, PathOnly(path), status, attempt + 1, delay);
            await Task.Delay(delay, clock, ct);
        }
    }

    /// <summary>base x 2^attempt plus up to half of that again, at most 30 s; a longer Retry-After from Stripe wins (within 30 s).</summary>
    internal static TimeSpan Backoff(TimeSpan baseDelay, int attempt, TimeSpan? retryAfter)
    {
        var exponential = baseDelay * Math.Pow(2, Math.Min(attempt, 16));
        var jittered = exponential + exponential * (Random.Shared.NextDouble() / 2);
        var delay = retryAfter is { } asked && asked > jittered ? asked : jittered;
        return delay > MaxDelay ? MaxDelay : delay;
    }

    private static string PathOnly(string path) => path.Split('?', 2)[0];
}

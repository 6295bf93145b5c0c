using System.Net;
using System.Text.Json;

namespace Taskee.Api.Billing.Stripe;

/// <summary>
/// A call to Stripe that failed for good: Stripe's answer (its <c>error.type</c>, <c>code</c> and <c>message</c>), or
/// no answer at all (<see cref="Status"/> null, type <c>api_connection_error</c>) once retries ran out.
/// </summary>
public sealed class StripeApiException(HttpStatusCode? status, string type, string? code, string message, string? requestId = null)
    : Exception($"Stripe {(status is { } s ? $"{(int)s}" : "unreachable")}: {type}{(code is null ? "" : $"/{code}")}: {message}")
{
    public const string ConnectionError = "api_connection_error";

    public HttpStatusCode? Status { get; } = status;

    /// <summary>Stripe's error type: <c>invalid_request_error</c>, <c>card_error</c>, <c>api_error</c>, <c>idempotency_error</c>, ...</summary>
    public string Type { get; } = type;

    public string? Code { get; } = code;

    public string StripeMessage { get; } = message;

    /// <summary>Stripe's <c>Request-Id</c>, for Stripe's support.</summary>
    public string? RequestId { get; } = requestId;

    /// <summary>True for what a later retry may fix: no answer, rate limiting, or Stripe's own failure.</summary>
    public bool IsTransient => Status is null || Status == HttpStatusCode.TooManyRequests || (int)Status >= 500;

    public bool IsNotFound => Status == HttpStatusCode.NotFound;

    public static StripeApiException FromResponse(HttpStatusCode status, string body, string? requestId)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            if (document.RootElement.TryGetProperty("error", out var error) && error.ValueKind == JsonValueKind.Object)
            {
                return new StripeApiException(status,
                    StripeJson.String(error, "type") ?? "api_error",
                    StripeJson.String(error, "code"),
                    StripeJson.String(error, "message") ?? $"HTTP {(int)status}",
                    requestId);
            }
        }
        catch (JsonException)
        {
            // Not Stripe's error shape (a proxy's page): described by the status alone.
        }
        return new StripeApiException(status, "api_error", null, $"HTTP {(int)status} without a Stripe error body", requestId);
    }
}

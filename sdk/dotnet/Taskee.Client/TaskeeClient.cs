using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.Options;

namespace Taskee.Client;

/// <summary>
/// The product API of a Taskee node, typed. Routes and payloads are the node's own (<c>/v1/organisations/{orgId}/usage/{metric}/...</c>,
/// <c>/v1/usage/batch</c>, <c>/features/{feature}</c>, <c>/entitlements</c>). Unreachable or failing nodes raise
/// <see cref="TaskeeUnavailableException"/>; 4xx problems raise <see cref="TaskeeProblemException"/>.
/// </summary>
public sealed class TaskeeClient(HttpClient http, IOptions<TaskeeClientOptions> options, TimeProvider clock, EntitlementsCache cache)
{
    public const string IdempotencyHeader = "Idempotency-Key";

    private static readonly JsonSerializerOptions Json = JsonSerializerOptions.Web;

    public Task<UsageDecision> CheckAsync(string orgId, string metric, long amount, CancellationToken ct = default) =>
        DecideAsync(orgId, metric, UsageOp.Check, amount, null, ct);

    /// <summary>Consumes; every attempt of this call carries the same Idempotency-Key (the given one, or a new one), so a retry counts once.</summary>
    public Task<UsageDecision> ConsumeAsync(string orgId, string metric, long amount, string? idempotencyKey = null, CancellationToken ct = default) =>
        DecideAsync(orgId, metric, UsageOp.Consume, amount, idempotencyKey ?? Guid.NewGuid().ToString("N"), ct);

    /// <summary>Gives back part of a gauge (<c>storage_bytes</c>); never retried, since a repeated release would give back twice.</summary>
    public Task<UsageDecision> ReleaseAsync(string orgId, string metric, long amount, CancellationToken ct = default) =>
        DecideAsync(orgId, metric, UsageOp.Release, amount, null, ct);

    /// <summary>Up to 1,000 decisions in one call; retried only when every item is a check.</summary>
    public async Task<IReadOnlyList<UsageBatchResult>> BatchAsync(IReadOnlyList<UsageBatchItem> items, CancellationToken ct = default)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "v1/usage/batch") { Content = JsonContent.Create(new UsageBatchRequest(items), options: Json) };
        if (items.All(i => i.Op == UsageOp.Check)) RetryPolicy.MarkSafe(request);
        using var response = await SendAsync(request, ct);
        return (await ReadAsync<UsageBatchResponse>(response, ct)).Results;
    }

    public async Task<FeatureDecision> GetFeatureAsync(string orgId, string feature, CancellationToken ct = default)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"v1/organisations/{Uri.EscapeDataString(orgId)}/features/{Uri.EscapeDataString(feature)}");
        RetryPolicy.MarkSafe(request);
        using var response = await SendAsync(request, ct);
        return await ReadAsync<FeatureDecision>(response, ct);
    }

    /// <summary>
    /// The organisation's entitlements: from the local copy while it is fresh, then revalidated with its ETag (the node
    /// answers 304 when nothing it shows changed: settings, catalog or usage).
    /// </summary>
    public async Task<Entitlements> GetEntitlementsAsync(string orgId, CancellationToken ct = default)
    {
        var now = clock.GetUtcNow();
        var cached = cache.Get(orgId);
        if (cached is not null && now - cached.CheckedAt < options.Value.EntitlementsFreshFor) return cached.Value;

        using var request = new HttpRequestMessage(HttpMethod.Get, $"v1/organisations/{Uri.EscapeDataString(orgId)}/entitlements");
        RetryPolicy.MarkSafe(request);
        if (cached is not null) request.Headers.IfNoneMatch.Add(EntityTagHeaderValue.Parse(cached.ETag));
        using var response = await SendAsync(request, ct);
        if (response.StatusCode == HttpStatusCode.NotModified && cached is not null)
        {
            cache.Set(orgId, cached with { CheckedAt = now });
            return cached.Value;
        }
        var entitlements = await ReadAsync<Entitlements>(response, ct);
        if (response.Headers.ETag is { } etag) cache.Set(orgId, new CachedEntitlements(entitlements, etag.ToString(), now));
        return entitlements;
    }

    private async Task<UsageDecision> DecideAsync(string orgId, string metric, string op, long amount, string? idempotencyKey, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"v1/organisations/{Uri.EscapeDataString(orgId)}/usage/{Uri.EscapeDataString(metric)}/{op}")
        {
            Content = JsonContent.Create(new AmountRequest(amount), options: Json),
        };
        // A check changes nothing; a consume is safe to repeat only because its key makes the node count it once.
        if (idempotencyKey is not null) request.Headers.Add(IdempotencyHeader, idempotencyKey);
        if (op == UsageOp.Check || idempotencyKey is not null) RetryPolicy.MarkSafe(request);
        using var response = await SendAsync(request, ct);
        return await ReadAsync<UsageDecision>(response, ct);
    }

    private async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken ct)
    {
        HttpResponseMessage response;
        try
        {
            response = await http.SendAsync(request, ct);
        }
        catch (Exception e) when (e is HttpRequestException or TimeoutException or Polly.Timeout.TimeoutRejectedException
                                      || (e is OperationCanceledException && !ct.IsCancellationRequested))
        {
            throw new TaskeeUnavailableException($"Taskee at {http.BaseAddress} could not be reached: {e.Message}", e);
        }
        // Still in progress after the retries: the outcome is unknown, as if the node were unreachable.
        if ((int)response.StatusCode >= 500 || response.StatusCode == HttpStatusCode.TooManyRequests || RetryPolicy.IsInProgress(request, response))
        {
            var status = (int)response.StatusCode;
            response.Dispose();
            throw new TaskeeUnavailableException($"Taskee at {http.BaseAddress} answered {status}.");
        }
        return response;
    }

    private static async Task<T> ReadAsync<T>(HttpResponseMessage response, CancellationToken ct)
    {
        if (!response.IsSuccessStatusCode)
        {
            string? detail = null;
            try
            {
                detail = (await response.Content.ReadFromJsonAsync<JsonElement>(Json, ct)).TryGetProperty("detail", out var d) ? d.GetString() : null;
            }
            catch (JsonException)
            {
                // Not a problem document: the status says enough.
            }
            throw new TaskeeProblemException((int)response.StatusCode, detail);
        }
        return (await response.Content.ReadFromJsonAsync<T>(Json, ct))!;
    }
}

using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Taskee.Api.Auth;
using Taskee.Api.Infrastructure;
using Taskee.Grains.Interfaces;
using System.Diagnostics;
using Taskee.Api.Ops;

namespace Taskee.Api.Usage;

/// <summary>
/// The product API: may an organisation use a feature, or consume more of a metric? Answered from the
/// organisation's grain; a denial is 200 with <c>allowed:false</c> and a reason.
/// </summary>
public static class UsageEndpoints
{
    public const string IdempotencyHeader = "Idempotency-Key";

    public static void MapUsageEndpoints(this IEndpointRouteBuilder app)
    {
        var usage = app.MapGroup("/v1/organisations/{orgId}/usage/{metric}").WithTags("Usage");
        usage.MapPost("/check", CheckAsync).RequireAuthorization(Permissions.UsageRead).WithName("CheckUsage");
        usage.MapPost("/consume", ConsumeAsync).RequireAuthorization(Permissions.UsageWrite).WithName("ConsumeUsage")
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity); // its own Idempotency-Key reused for another amount
        usage.MapPost("/release", ReleaseAsync).RequireAuthorization(Permissions.UsageWrite).WithName("ReleaseUsage");

        app.MapPost("/v1/usage/batch", BatchAsync).RequireAuthorization(Permissions.UsageRead).WithTags("Usage").WithName("UsageBatch");
        app.MapGet("/v1/organisations/{orgId}/features/{feature}", GetFeatureAsync)
            .RequireAuthorization(Permissions.EntitlementsRead).WithTags("Usage").WithName("GetFeature");
    }

    public static Task<Results<Ok<UsageResponse>, ValidationProblem, ProblemHttpResult>> CheckAsync(
        string orgId, string metric, AmountRequest body, OrganisationGrains grains, TrafficMeter traffic, CancellationToken ct) =>
        DecideAsync(UsageOps.Check, orgId, metric, body, grains, traffic, null, ct);

    public static Task<Results<Ok<UsageResponse>, ValidationProblem, ProblemHttpResult>> ConsumeAsync(
        string orgId, string metric, AmountRequest body, OrganisationGrains grains, TrafficMeter traffic, HttpRequest request, CancellationToken ct)
    {
        var key = request.Headers[IdempotencyHeader].ToString();
        if (key.Length > 255) return Task.FromResult<Results<Ok<UsageResponse>, ValidationProblem, ProblemHttpResult>>(
            Problems.Validation(IdempotencyHeader, "Idempotency-Key must be at most 255 characters."));
        return DecideAsync(UsageOps.Consume, orgId, metric, body, grains, traffic, key.Length > 0 ? key : null, ct);
    }

    public static Task<Results<Ok<UsageResponse>, ValidationProblem, ProblemHttpResult>> ReleaseAsync(
        string orgId, string metric, AmountRequest body, OrganisationGrains grains, TrafficMeter traffic, CancellationToken ct) =>
        DecideAsync(UsageOps.Release, orgId, metric, body, grains, traffic, null, ct);

    private static async Task<Results<Ok<UsageResponse>, ValidationProblem, ProblemHttpResult>> DecideAsync(
        string op, string orgId, string metric, AmountRequest body, OrganisationGrains grains, TrafficMeter traffic, string? idempotencyKey, CancellationToken ct)
    {
        if (UsageOps.Problem(op, metric, body.Amount) is { } problem)
            return Problems.Validation(Metrics.IsKnown(metric) ? "amount" : "metric", problem);
        var started = Stopwatch.GetTimestamp();
        var result = await Apply(grains.Get(orgId), op, metric, body.Amount!.Value, idempotencyKey);
        switch (result.Reason)
        {
            case UsageReason.OrganisationNotFound:
                return Problems.OrganisationNotFound(orgId);
            case UsageReason.IdempotencyKeyConflict:
                return TypedResults.Problem(statusCode: StatusCodes.Status422UnprocessableEntity, title: "Idempotency-Key reused",
                    detail: $"Idempotency-Key '{idempotencyKey}' was already used for a different metric or amount; send a new key for a new request.");
        }
        traffic.Record(orgId, op, result, Stopwatch.GetElapsedTime(started));
        return TypedResults.Ok(UsageResponse.From(result));
    }

    private static ValueTask<UsageResult> Apply(IOrganisationGrain grain, string op, string metric, long amount, string? idempotencyKey) => op switch
    {
        UsageOps.Check => grain.CheckAsync(metric, amount),
        UsageOps.Release => grain.ReleaseAsync(metric, amount),
        _ when idempotencyKey is not null => grain.ConsumeOnceAsync(metric, amount, idempotencyKey),
        _ => grain.ConsumeAsync(metric, amount),
    };

    /// <summary>Up to 1,000 decisions in one call, answered in order; each item is authorised on its own.</summary>
    public static async Task<Results<Ok<BatchResponse>, ValidationProblem>> BatchAsync(
        BatchRequest body, OrganisationGrains grains, TrafficMeter traffic, HttpContext http, CancellationToken ct)
    {
        if (body.Items is null) return Problems.Validation("items", "items is required: a list of {orgId, metric, op, amount}.");
        if (body.Items.Count > UsageOps.MaxBatchItems)
            return Problems.Validation("items", $"A batch holds at most {UsageOps.MaxBatchItems} items; this one has {body.Items.Count}.");

        var caller = http.Caller();
        var results = new BatchResult[body.Items.Count];
        // One grain call per organisation, in item order within it; organisations are decided side by side.
        var valid = new Dictionary<string, List<int>>(StringComparer.Ordinal);
        for (var i = 0; i < results.Length; i++)
        {
            if (Refusal(body.Items[i], caller) is { } refusal) results[i] = refusal;
            else (valid.TryGetValue(body.Items[i]!.OrgId!, out var list) ? list : valid[body.Items[i]!.OrgId!] = []).Add(i);
        }
        await Task.WhenAll(valid.Select(async group =>
        {
            var requests = group.Value.Select(i => new UsageRequest(body.Items[i]!.Op!, body.Items[i]!.Metric!, body.Items[i]!.Amount!.Value)).ToArray();
            var started = Stopwatch.GetTimestamp();
            var decided = await grains.Get(group.Key).DecideManyAsync(requests);
            var elapsed = Stopwatch.GetElapsedTime(started) / Math.Max(1, requests.Length);
            for (var j = 0; j < decided.Length; j++)
            {
                var index = group.Value[j];
                if (decided[j].Reason == UsageReason.OrganisationNotFound)
                {
                    results[index] = NotFound(group.Key);
                    continue;
                }
                traffic.Record(group.Key, requests[j].Op, decided[j], elapsed);
                results[index] = BatchResult.From(decided[j]);
            }
        }));
        return TypedResults.Ok(new BatchResponse(results));
    }

    /// <summary>Why an item cannot be decided (malformed, another tenant's, not permitted), or null when it can.</summary>
    private static BatchResult? Refusal(BatchItem? item, Caller caller)
    {
        if (item?.OrgId is not { } orgId) return BatchResult.Failed(StatusCodes.Status400BadRequest, "orgId is required.");
        var op = item.Op ?? "";
        if (op is not (UsageOps.Check or UsageOps.Consume or UsageOps.Release))
            return BatchResult.Failed(StatusCodes.Status400BadRequest, "op must be 'check', 'consume' or 'release'.");
        if (!caller.MayReach(orgId)) return NotFound(orgId);
        var permission = op == UsageOps.Check ? Permissions.UsageRead : Permissions.UsageWrite;
        if (!caller.Has(permission)) return BatchResult.Failed(StatusCodes.Status403Forbidden, $"This caller lacks the permission '{permission}'.");
        return UsageOps.Problem(op, item.Metric, item.Amount) is { } problem ? BatchResult.Failed(StatusCodes.Status400BadRequest, problem) : null;
    }

    /// <summary>The same answer as a missing organisation's, for another tenant's too.</summary>
    private static BatchResult NotFound(string orgId) =>
        BatchResult.Failed(StatusCodes.Status404NotFound, Problems.OrganisationNotFound(orgId).ProblemDetails.Detail!);

    public static async Task<Results<Ok<FeatureResponse>, StatusCodeHttpResult, ValidationProblem, ProblemHttpResult>> GetFeatureAsync(
        string orgId, string feature, OrganisationGrains grains, HttpContext http, CancellationToken ct)
    {
        if (!Features.IsValidKey(feature))
            return Problems.Validation("feature", $"'{feature}' is not a feature key: 2 to 64 characters of a-z, 0-9, '_', '-', '.'.");
        if (await grains.Get(orgId).GetEntitlementsAsync() is not { } entitlements) return Problems.OrganisationNotFound(orgId);
        var decision = entitlements.Features.GetValueOrDefault(feature) ?? new FeatureEntitlement(false, FeatureReason.NotInPlan);
        var etag = ETags.Format($"{entitlements.Version}-{entitlements.CatalogVersion}-{feature}");
        ETags.Set(http, etag);
        if (ETags.NoneMatchHits(http.Request, etag)) return TypedResults.StatusCode(StatusCodes.Status304NotModified);
        return TypedResults.Ok(new FeatureResponse(decision.Enabled, decision.Reason));
    }
}

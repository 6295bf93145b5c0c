using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Taskee.Client.Guards;

/// <summary>Runs the guards of the matched endpoint: features first (a refused feature consumes nothing), then quotas.</summary>
internal sealed class TaskeeGuardMiddleware(RequestDelegate next, IOptions<TaskeeClientOptions> options, TaskeeGuard guard)
{
    public async Task InvokeAsync(HttpContext http)
    {
        var metadata = http.GetEndpoint()?.Metadata;
        var features = metadata?.GetOrderedMetadata<RequireFeatureAttribute>() ?? [];
        var quotas = metadata?.GetOrderedMetadata<ConsumesQuotaMetadata>() ?? [];
        if (features.Count == 0 && quotas.Count == 0)
        {
            await next(http);
            return;
        }

        if (options.Value.OrganisationResolver(http) is not { Length: > 0 } orgId)
        {
            await WriteProblem(http, 403, "No organisation", "This request names no organisation, so its entitlements cannot be checked.",
                features.Select(f => f.Feature).FirstOrDefault() ?? quotas[0].Metric, "organisation_unknown");
            return;
        }
        var client = http.RequestServices.GetRequiredService<TaskeeClient>();
        foreach (var feature in features.Select(f => f.Feature).Distinct())
        {
            var verdict = await guard.FeatureAsync(client, orgId, feature, http.RequestAborted);
            if (!verdict.Allowed)
            {
                await WriteProblem(http, verdict.Status, verdict.Status == 503 ? "Feature cannot be checked" : "Feature not available",
                    $"The feature '{feature}' is not available to organisation '{orgId}': {verdict.Reason}.", feature, verdict.Reason);
                return;
            }
        }

        var consumed = new List<ConsumesQuotaMetadata>();
        async Task ReleaseConsumedAsync()
        {
            foreach (var done in consumed) await guard.ReleaseAfterFailureAsync(client, orgId, done.Metric, done.Amount);
        }
        foreach (var quota in quotas)
        {
            var verdict = await guard.ConsumeAsync(client, orgId, quota.Metric, quota.Amount, http.RequestAborted);
            if (!verdict.Allowed)
            {
                await ReleaseConsumedAsync();
                await WriteProblem(http, verdict.Status, verdict.Status == 503 ? "Quota cannot be checked" : "Quota exhausted",
                    $"Organisation '{orgId}' may not consume {quota.Amount} of '{quota.Metric}': {verdict.Reason}.", quota.Metric, verdict.Reason, "metric");
                return;
            }
            if (!verdict.ByFailMode) consumed.Add(quota);
        }

        try
        {
            await next(http);
        }
        catch
        {
            await ReleaseConsumedAsync();
            throw;
        }
        if (http.Response.StatusCode >= 500) await ReleaseConsumedAsync();
    }

    private static async Task WriteProblem(HttpContext http, int status, string title, string detail, string key, string reason, string keyName = "feature")
    {
        var problem = new ProblemDetails { Status = status, Title = title, Detail = detail };
        problem.Extensions[keyName] = key;
        problem.Extensions["reason"] = reason;
        http.Response.StatusCode = status;
        if (status == 503) http.Response.Headers.RetryAfter = "5";
        await Results.Problem(problem).ExecuteAsync(http);
    }
}

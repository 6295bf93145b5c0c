using System.Net;
using Microsoft.Extensions.Http.Resilience;
using Polly;
using Polly.Retry;

namespace Taskee.Client;

/// <summary>Which requests may be retried: the client marks reads and keyed consumes; everything else is sent once.</summary>
internal static class RetryPolicy
{
    private static readonly HttpRequestOptionsKey<bool> Safe = new("Taskee.RetrySafe");

    public static void MarkSafe(HttpRequestMessage request) => request.Options.Set(Safe, true);

    public static bool IsSafe(HttpRequestMessage? request) => request is not null && request.Options.TryGetValue(Safe, out var safe) && safe;

    public static ValueTask<bool> ShouldRetry(RetryPredicateArguments<HttpResponseMessage> args)
    {
        var request = args.Context.GetRequestMessage();
        if (!IsSafe(request)) return ValueTask.FromResult(false);
        return ValueTask.FromResult(IsInProgress(request!, args.Outcome.Result) || HttpClientResiliencePredicates.IsTransient(args.Outcome));
    }

    /// <summary>
    /// The node answers 409 to a keyed request while an earlier attempt with the same key is still being processed (one
    /// that timed out here, say): its stored answer comes shortly, so the retry waits for it rather than failing.
    /// </summary>
    public static bool IsInProgress(HttpRequestMessage request, HttpResponseMessage? response) =>
        response?.StatusCode == HttpStatusCode.Conflict && request.Headers.Contains(TaskeeClient.IdempotencyHeader);
}

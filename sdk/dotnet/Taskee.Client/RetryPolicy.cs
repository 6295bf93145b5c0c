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

    public static ValueTask<bool> ShouldRetry(RetryPredicateArguments<HttpResponseMessage> args) =>
        ValueTask.FromResult(IsSafe(args.Context.GetRequestMessage()) && HttpClientResiliencePredicates.IsTransient(args.Outcome));
}

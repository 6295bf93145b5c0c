using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;
using Polly;
using Taskee.Client.Guards;

namespace Taskee.Client;

public static class TaskeeClientServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="TaskeeClient"/> as a typed client of <c>IHttpClientFactory</c> with a timeout per attempt and in total,
    /// and retries of safe calls only; and the guards' services. Returns the client's builder (to add handlers or a primary handler).
    /// </summary>
    public static IHttpClientBuilder AddTaskeeClient(this IServiceCollection services, Action<TaskeeClientOptions> configure)
    {
        services.AddOptions<TaskeeClientOptions>().Configure(configure)
            .Validate(o => o.BaseAddress is { IsAbsoluteUri: true }, "Taskee:BaseAddress must be an absolute URI, e.g. https://taskee.example.com/.")
            .Validate(o => !string.IsNullOrWhiteSpace(o.ApiKey), "Taskee:ApiKey is required: a key with the 'usage' scope.")
            .ValidateOnStart();
        services.AddMetrics();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<TaskeeClientMeter>();
        services.TryAddSingleton<TaskeeGuard>();
        services.TryAddSingleton<EntitlementsCache>();

        var builder = services.AddHttpClient<TaskeeClient>((sp, http) =>
        {
            var o = sp.GetRequiredService<IOptions<TaskeeClientOptions>>().Value;
            // A base without a trailing slash would drop its last segment from every relative route.
            var address = o.BaseAddress!.ToString();
            http.BaseAddress = new Uri(address.EndsWith('/') ? address : address + "/");
            http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", o.ApiKey);
            http.Timeout = Timeout.InfiniteTimeSpan; // the pipeline's timeouts rule
        });
        builder.AddResilienceHandler("taskee", (pipeline, context) =>
        {
            var o = context.ServiceProvider.GetRequiredService<IOptions<TaskeeClientOptions>>().Value;
            pipeline.AddTimeout(o.TotalTimeout);
            if (o.MaxRetries > 0) pipeline.AddRetry(new HttpRetryStrategyOptions
            {
                MaxRetryAttempts = o.MaxRetries,
                Delay = TimeSpan.FromMilliseconds(100),
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                ShouldHandle = RetryPolicy.ShouldRetry,
            });
            pipeline.AddTimeout(o.AttemptTimeout);
        });
        return builder;
    }
}

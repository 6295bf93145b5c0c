using System.Collections.Concurrent;
using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace Taskee.Api.Auth;

/// <summary>
/// The two token buckets every non-platform caller passes (per key or person, per organisation), and the IETF
/// <c>RateLimit-Policy</c> / <c>RateLimit</c> headers (draft-ietf-httpapi-ratelimit-headers) that say what is left of each.
/// </summary>
/// <remarks>
/// The buckets are System.Threading.RateLimiting's <see cref="TokenBucketRateLimiter"/>; only the partitioning is ours.
/// The framework's partitioned limiter takes a lock on its partition table for every acquire and every statistics
/// read, and re-partitions a request for each: four locked lookups per request on the product API's hot path. Here a
/// request is partitioned once (<see cref="Find"/>), its buckets are found with lock-free reads, and the headers are
/// read from the same two buckets.
/// </remarks>
public sealed class RateLimitBuckets : IDisposable
{
    public const string PolicyHeader = "RateLimit-Policy";
    public const string RemainingHeader = "RateLimit";

    // A bucket holds twice the per-second rate and refills the rate every second: a full bucket (q) refills in w = 2 s,
    // so q/w is the sustained rate and q the largest burst.
    private const int WindowSeconds = 2;

    // Replenishment runs on one timer for all buckets, as in the framework's partitioned limiter; a bucket full for
    // longer than IdleAfter is dropped (a new one would be full too), so idle keys cost no memory.
    private static readonly TimeSpan ReplenishEvery = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan IdleAfter = TimeSpan.FromSeconds(30);

    private readonly RateLimitOptions _options;
    private readonly OrganisationPlans _plans;
    private readonly ConcurrentDictionary<PartitionKey, TokenBucketRateLimiter> _buckets = new();
    private readonly ConcurrentDictionary<(int Key, int Organisation), string> _policies = new(); // a handful of plans
    private readonly ITimer _replenisher;

    public RateLimitBuckets(IOptions<RateLimitOptions> options, OrganisationPlans plans)
    {
        _options = options.Value;
        _plans = plans;
        // The buckets measure time with Stopwatch, not the injected clock, so their timer runs on real time too.
        _replenisher = TimeProvider.System.CreateTimer(_ => Replenish(), null, ReplenishEvery, ReplenishEvery);
    }

    /// <summary>One bucket per API, rate, and key or organisation; the rate is part of it, so a plan change moves the caller to a bucket of the new rate.</summary>
    private readonly record struct PartitionKey(bool Usage, int PerSecond, string Kind, string Id);

    /// <summary>The request's two buckets, or none when no limit applies (anonymous and platform callers, or limits off).</summary>
    public readonly record struct Buckets(TokenBucketRateLimiter? Key, TokenBucketRateLimiter? Organisation, int KeyRate, int OrganisationRate)
    {
        public bool Apply => Key is not null;
    }

    public Buckets Find(HttpContext context)
    {
        if (!_options.Enabled || Caller.From(context.User) is not { IsPlatform: false } caller) return default;
        var limit = _options.For(_plans.PlanOf(caller.OrgId!));
        var usage = RateLimits.IsProductApi(context.Request.Path);
        var keyRate = usage ? limit.UsagePerSecond : limit.AdminPerSecond;
        var organisationRate = keyRate * _options.OrganisationMultiplier;
        return new Buckets(
            Bucket(new PartitionKey(usage, keyRate, caller.Kind, caller.Id)),
            Bucket(new PartitionKey(usage, organisationRate, "org", caller.OrgId!)),
            keyRate, organisationRate);
    }

    /// <summary>
    /// Writes the policy and what is left of both buckets, for a request that passed (or was refused: then
    /// <paramref name="resetSeconds"/> is its Retry-After).
    /// </summary>
    public void WriteHeaders(HttpContext context, in Buckets buckets, int resetSeconds = 1)
    {
        if (!buckets.Apply) return;
        var keyLeft = buckets.Key!.GetStatistics()?.CurrentAvailablePermits ?? 0;
        var organisationLeft = buckets.Organisation!.GetStatistics()?.CurrentAvailablePermits ?? 0;

        var headers = context.Response.Headers;
        headers[PolicyHeader] = _policies.GetOrAdd((buckets.KeyRate, buckets.OrganisationRate), static r => string.Create(CultureInfo.InvariantCulture,
            $"\"key\";q={r.Key * WindowSeconds};w={WindowSeconds}, \"org\";q={r.Organisation * WindowSeconds};w={WindowSeconds}"));
        // A bucket gains tokens within the second; a refused one names the bucket's wait (its Retry-After).
        var keyReset = keyLeft > 0 ? 1 : resetSeconds;
        var organisationReset = organisationLeft > 0 ? 1 : resetSeconds;
        headers[RemainingHeader] = string.Create(CultureInfo.InvariantCulture,
            $"\"key\";r={keyLeft};t={keyReset}, \"org\";r={organisationLeft};t={organisationReset}");
    }

    private TokenBucketRateLimiter Bucket(PartitionKey key) =>
        _buckets.TryGetValue(key, out var bucket) ? bucket : _buckets.GetOrAdd(key, static k => new TokenBucketRateLimiter(new TokenBucketRateLimiterOptions
        {
            TokenLimit = k.PerSecond * WindowSeconds,
            TokensPerPeriod = k.PerSecond,
            ReplenishmentPeriod = TimeSpan.FromSeconds(1),
            QueueLimit = 0,
            AutoReplenishment = false,
        }));

    private void Replenish()
    {
        foreach (var (key, bucket) in _buckets)
        {
            bucket.TryReplenish();
            // Not disposed: a request that found this bucket just before may still take a token from it (from a full
            // bucket no longer counted: one token, never a refusal). Without a queue or timer it holds nothing to free.
            if (bucket.IdleDuration > IdleAfter) _buckets.TryRemove(new KeyValuePair<PartitionKey, TokenBucketRateLimiter>(key, bucket));
        }
    }

    public void Dispose()
    {
        _replenisher.Dispose();
        foreach (var bucket in _buckets.Values) bucket.Dispose();
    }
}

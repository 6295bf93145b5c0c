using System.Collections.Concurrent;
using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace Taskee.Api.Auth;

/// <summary>
/// The two token-bucket limiters every non-platform caller passes (per key or person, per organisation), kept here
/// rather than only inside the chained global limiter so the answer can say how much of each budget is left: the
/// IETF <c>RateLimit-Policy</c> / <c>RateLimit</c> headers (draft-ietf-httpapi-ratelimit-headers).
/// </summary>
public sealed class RateLimitBuckets
{
    public const string PolicyHeader = "RateLimit-Policy";
    public const string RemainingHeader = "RateLimit";

    // A bucket holds twice the per-second rate and refills the rate every second: a full bucket (q) refills in w = 2 s,
    // so q/w is the sustained rate and q the largest burst.
    private const int WindowSeconds = 2;

    private readonly RateLimitOptions _options;
    private readonly OrganisationPlans _plans;

    // One policy string per pair of rates (a handful of plans): built once, then only looked up.
    private readonly ConcurrentDictionary<(int Key, int Organisation), string> _policies = new();

    public RateLimitBuckets(IOptions<RateLimitOptions> options, OrganisationPlans plans)
    {
        _options = options.Value;
        _plans = plans;
        PerKey = PartitionedRateLimiter.Create<HttpContext, PartitionKey>(context => Partition(context, perOrganisation: false));
        PerOrganisation = PartitionedRateLimiter.Create<HttpContext, PartitionKey>(context => Partition(context, perOrganisation: true));
    }

    public PartitionedRateLimiter<HttpContext> PerKey { get; }

    public PartitionedRateLimiter<HttpContext> PerOrganisation { get; }

    /// <summary>
    /// Writes the policy and what is left of both buckets, for a request that passed the limiter (or was refused:
    /// then <paramref name="resetSeconds"/> is its Retry-After). Nothing for callers no limit applies to.
    /// </summary>
    public void WriteHeaders(HttpContext context, int resetSeconds = 1)
    {
        var (_, _, keyRate, organisationRate) = BudgetOf(context);
        if (keyRate == 0) return;
        var keyLeft = PerKey.GetStatistics(context)?.CurrentAvailablePermits ?? 0;
        var organisationLeft = PerOrganisation.GetStatistics(context)?.CurrentAvailablePermits ?? 0;

        var headers = context.Response.Headers;
        headers[PolicyHeader] = _policies.GetOrAdd((keyRate, organisationRate), static r => string.Create(CultureInfo.InvariantCulture,
            $"\"key\";q={r.Key * WindowSeconds};w={WindowSeconds}, \"org\";q={r.Organisation * WindowSeconds};w={WindowSeconds}"));
        // A bucket gains tokens within the second; a refused one names the bucket's wait (its Retry-After).
        var keyReset = keyLeft > 0 ? 1 : resetSeconds;
        var organisationReset = organisationLeft > 0 ? 1 : resetSeconds;
        headers[RemainingHeader] = string.Create(CultureInfo.InvariantCulture,
            $"\"key\";r={keyLeft};t={keyReset}, \"org\";r={organisationLeft};t={organisationReset}");
    }

    /// <summary>
    /// One token bucket per API, rate, and key or organisation. A struct key, so picking the partition of a request
    /// allocates nothing; the rate is part of it, so a plan change moves the caller to a bucket of the new rate.
    /// </summary>
    public readonly record struct PartitionKey(bool Usage, int PerSecond, string Kind, string Id);

    /// <summary>What the limiters need of a request, worked out once per partitioning: no limit applies when <c>KeyRate</c> is 0.</summary>
    private readonly record struct Budget(Caller? Caller, bool Usage, int KeyRate, int OrganisationRate);

    private Budget BudgetOf(HttpContext context)
    {
        if (!_options.Enabled || Caller.From(context.User) is not { IsPlatform: false } caller) return default;
        var limit = _options.For(_plans.PlanOf(caller.OrgId!));
        var usage = RateLimits.IsProductApi(context.Request.Path);
        var perSecond = usage ? limit.UsagePerSecond : limit.AdminPerSecond;
        return new Budget(caller, usage, perSecond, perSecond * _options.OrganisationMultiplier);
    }

    private RateLimitPartition<PartitionKey> Partition(HttpContext context, bool perOrganisation)
    {
        var budget = BudgetOf(context);
        if (budget is not { KeyRate: > 0, Caller: { } caller }) return RateLimitPartition.GetNoLimiter(default(PartitionKey));

        var key = perOrganisation
            ? new PartitionKey(budget.Usage, budget.OrganisationRate, "org", caller.OrgId!)
            : new PartitionKey(budget.Usage, budget.KeyRate, caller.Kind, caller.Id);
        return RateLimitPartition.GetTokenBucketLimiter(key, static k => new TokenBucketRateLimiterOptions
        {
            TokenLimit = k.PerSecond * 2,
            TokensPerPeriod = k.PerSecond,
            ReplenishmentPeriod = TimeSpan.FromSeconds(1),
            QueueLimit = 0,
            AutoReplenishment = true,
        });
    }
}

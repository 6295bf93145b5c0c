using Microsoft.AspNetCore.Http;

namespace Taskee.Client;

/// <summary>What a guard does when the control plane cannot be reached.</summary>
public enum FailMode
{
    /// <summary>Refuse (503): the safe choice for paid features and quotas.</summary>
    Closed,

    /// <summary>Let the request through: for features whose outage must not stop the product.</summary>
    Open,
}

public sealed class TaskeeClientOptions
{
    /// <summary>The node's address, e.g. https://taskee.example.com/.</summary>
    public Uri? BaseAddress { get; set; }

    /// <summary>An organisation or platform API key with the <c>usage</c> scope (entitlements:read, usage:read, usage:write).</summary>
    public string? ApiKey { get; set; }

    /// <summary>Time for one attempt; the whole call, retries included, gets <see cref="TotalTimeout"/>.</summary>
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(2);

    public TimeSpan TotalTimeout { get; set; } = TimeSpan.FromSeconds(6);

    /// <summary>Retries of a safe call (reads, and consumes, which carry one Idempotency-Key across attempts).</summary>
    public int MaxRetries { get; set; } = 2;

    /// <summary>How long entitlements are used without asking; after that they are revalidated with If-None-Match (a 304 costs no body).</summary>
    public TimeSpan EntitlementsFreshFor { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>The organisation of a guarded request; null means it has none (403). Default: route value <c>orgId</c>, else claim <c>org_id</c>.</summary>
    public Func<HttpContext, string?> OrganisationResolver { get; set; } =
        http => http.Request.RouteValues["orgId"] as string ?? http.User.FindFirst("org_id")?.Value;

    /// <summary>Fail mode of a guard when the node cannot be reached, by feature key or metric; others get <see cref="DefaultFailMode"/>.</summary>
    public Dictionary<string, FailMode> FailModes { get; } = new(StringComparer.Ordinal);

    public FailMode DefaultFailMode { get; set; } = FailMode.Closed;

    /// <summary>Metrics that go up and down (the node releases only these); a counter's consumption is spent even if the handler fails.</summary>
    public HashSet<string> GaugeMetrics { get; } = new(StringComparer.Ordinal) { "storage_bytes" };

    public FailMode FailModeOf(string featureOrMetric) => FailModes.GetValueOrDefault(featureOrMetric, DefaultFailMode);
}

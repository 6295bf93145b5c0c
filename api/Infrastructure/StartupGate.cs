using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Taskee.Api.Infrastructure;

/// <summary>
/// Open once storage is migrated and the catalog loaded. Until then <c>/health/ready</c> is unhealthy and
/// API calls get 503 with Retry-After, rather than failing half-way.
/// </summary>
public sealed class StartupGate : IHealthCheck
{
    private volatile string? _failure;
    private volatile bool _open;

    public bool IsOpen => _open;

    public void Open() => _open = true;

    /// <summary>On shutdown: readiness goes false first, so load balancers stop sending before the node stops.</summary>
    public void Close()
    {
        _failure = "Shutting down.";
        _open = false;
    }

    public void Fail(string reason) => _failure = reason;

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken ct = default) =>
        Task.FromResult(_open
            ? HealthCheckResult.Healthy("Storage migrated and catalog loaded.")
            : HealthCheckResult.Unhealthy(_failure ?? "Starting: applying migrations and loading the catalog."));
}

public sealed class StartupGateMiddleware(RequestDelegate next, StartupGate gate)
{
    // Not async: a request that passes costs no state machine of its own.
    public Task InvokeAsync(HttpContext context)
    {
        if (gate.IsOpen || !(context.Request.Path.StartsWithSegments("/v1") || context.Request.Path.StartsWithSegments("/scim")))
            return next(context);
        context.Response.Headers.RetryAfter = "2";
        return Problems.Write(context, StatusCodes.Status503ServiceUnavailable, "Service Unavailable",
            "The node is starting or shutting down. Retry in a few seconds (another node if there is one); /health/ready tells when it is ready.");
    }
}

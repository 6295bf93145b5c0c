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

    public void Fail(string reason) => _failure = reason;

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken ct = default) =>
        Task.FromResult(_open
            ? HealthCheckResult.Healthy("Storage migrated and catalog loaded.")
            : HealthCheckResult.Unhealthy(_failure ?? "Starting: applying migrations and loading the catalog."));
}

public sealed class StartupGateMiddleware(RequestDelegate next, StartupGate gate)
{
    public async Task InvokeAsync(HttpContext context)
    {
        if (!gate.IsOpen && context.Request.Path.StartsWithSegments("/v1"))
        {
            context.Response.Headers.RetryAfter = "2";
            await Problems.Write(context, StatusCodes.Status503ServiceUnavailable, "Service Unavailable",
                "The node is starting (applying migrations, loading the catalog). Retry in a few seconds; /health/ready tells when it is ready.");
            return;
        }
        await next(context);
    }
}

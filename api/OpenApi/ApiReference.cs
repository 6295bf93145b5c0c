using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Scalar.AspNetCore;

namespace Taskee.Api.OpenApi;

/// <summary>
/// The OpenAPI document at <c>/openapi/v1.json</c> and Scalar's API reference over it at <c>/openapi</c>. Scalar
/// serves its script from the package itself; its default web fonts and its telemetry are the only parts that would
/// reach the internet, so both are off and the page works on an offline machine.
/// </summary>
public static class ApiReference
{
    public const string Title = "Taskee control plane";

    public static IServiceCollection AddTaskeeOpenApi(this IServiceCollection services) =>
        services.AddOpenApi(o =>
        {
            o.AddDocumentTransformer((document, _, _) =>
            {
                document.Info.Title = Title;
                document.Info.Description = "Organisations, plans, flags, entitlements, billing, audit log and API keys. Authenticate with 'Authorization: Bearer tk_...'; Stripe webhooks with their signature. Errors are RFC 9457 problem details (application/problem+json).";
                // The contract, not where it was fetched from: a checked-in snapshot (docs/api/openapi-v1.json) must
                // not depend on the host or port; the reference page then calls the origin it was loaded from.
                document.Servers = [];
                return Task.CompletedTask;
            });
            o.AddOperationTransformer<ProblemResponses>();
            o.AddOperationTransformer<DeprecatedOperations>();
        });

    public static IEndpointRouteBuilder MapTaskeeOpenApi(this IEndpointRouteBuilder app)
    {
        app.MapOpenApi();
        app.MapScalarApiReference("/openapi", o => o
            .WithTitle(Title)
            .DisableDefaultFonts()
            .DisableTelemetry());
        return app;
    }
}

using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Taskee.Api.Scim;

/// <summary>
/// SCIM 2.0 (RFC 7643, RFC 7644) at /scim/v2 for the organisation of the bearer key (scope <c>scim</c>, feature
/// <c>scim</c>). Built on minimal APIs: every answer, errors included, is <c>application/scim+json</c>.
/// </summary>
public static class ScimEndpoints
{
    public const string BasePath = "/scim/v2";

    /// <summary>SCIM errors for what the pipeline answers itself under /scim/v2; ahead of the default problem writer.</summary>
    public static IServiceCollection AddTaskeeScim(this IServiceCollection services)
    {
        services.Insert(0, ServiceDescriptor.Singleton<IProblemDetailsWriter, ScimErrorWriter>());
        return services;
    }

    public static void MapScimEndpoints(this IEndpointRouteBuilder app)
    {
        var scim = app.MapGroup(BasePath).WithTags("SCIM").AddEndpointFilter(ScimContext.FilterAsync);
        scim.MapScimDiscovery();
        scim.MapScimUsers();
        scim.MapScimGroups();
    }
}

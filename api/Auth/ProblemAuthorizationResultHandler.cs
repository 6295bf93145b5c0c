using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Taskee.Api.Infrastructure;

namespace Taskee.Api.Auth;

/// <summary>Answers authentication and authorization failures as problem details: 401, 403, or 404 for another tenant.</summary>
public sealed class ProblemAuthorizationResultHandler : IAuthorizationMiddlewareResultHandler
{
    private readonly AuthorizationMiddlewareResultHandler _default = new();

    // A request that passes goes straight on (not async: no state machine of its own on every request).
    public Task HandleAsync(RequestDelegate next, HttpContext context, AuthorizationPolicy policy, PolicyAuthorizationResult result) =>
        result.Challenged || result.Forbidden ? RefuseAsync(context, result) : _default.HandleAsync(next, context, policy, result);

    private static async Task RefuseAsync(HttpContext context, PolicyAuthorizationResult result)
    {
        if (result.Challenged)
        {
            context.Response.Headers.WWWAuthenticate = "Bearer";
            await Problems.Write(context, StatusCodes.Status401Unauthorized, "Authentication required",
                "Send an API key as 'Authorization: Bearer tk_...'. The key given, if any, is missing, malformed, revoked, expired or unknown.");
            return;
        }

        var reasons = result.AuthorizationFailure?.FailureReasons ?? [];
        if (reasons.OfType<OtherTenantReason>().Any())
        {
            await Problems.Write(context, StatusCodes.Status404NotFound, "Not Found",
                Problems.OrganisationNotFound(context.GetRouteValue("orgId")?.ToString() ?? "").ProblemDetails.Detail!);
            return;
        }
        var missing = reasons.OfType<MissingPermissionReason>().FirstOrDefault()?.Permission;
        await Problems.Write(context, StatusCodes.Status403Forbidden, "Forbidden",
            missing is null ? "This caller may not do this." : $"This caller lacks the permission '{missing}'; use a key whose scopes grant it.");
    }
}

using System.Collections.Concurrent;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;

namespace Taskee.Api.Auth;

/// <summary>An endpoint's required permission. Its policy name is the permission itself.</summary>
public sealed record PermissionRequirement(string Permission) : IAuthorizationRequirement;

/// <summary>Failure reason for a caller of another organisation: answered 404, as if the organisation did not exist.</summary>
public sealed class OtherTenantReason(IAuthorizationHandler handler) : AuthorizationFailureReason(handler, "The organisation belongs to another tenant.");

/// <summary>Failure reason naming the missing permission: answered 403.</summary>
public sealed class MissingPermissionReason(IAuthorizationHandler handler, string permission)
    : AuthorizationFailureReason(handler, $"This caller lacks the permission '{permission}'.")
{
    public string Permission { get; } = permission;
}

/// <summary>
/// Checks the caller against the organisation in the route (<c>{orgId}</c>) before anything is read
/// or bound, then the permission.
/// </summary>
public sealed class PermissionAuthorizationHandler : AuthorizationHandler<PermissionRequirement>
{
    protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, PermissionRequirement requirement)
    {
        if (Caller.From(context.User) is not { } caller) return Task.CompletedTask;

        if (context.Resource is HttpContext http && http.GetRouteValue("orgId") is string orgId && !caller.MayReach(orgId))
        {
            context.Fail(new OtherTenantReason(this));
            return Task.CompletedTask;
        }

        if (caller.Has(requirement.Permission)) context.Succeed(requirement);
        else context.Fail(new MissingPermissionReason(this, requirement.Permission));
        return Task.CompletedTask;
    }
}

/// <summary>Builds a policy for any permission name, so endpoints say <c>RequireAuthorization(Permissions.X)</c>.</summary>
public sealed class PermissionPolicyProvider(IOptions<AuthorizationOptions> options) : DefaultAuthorizationPolicyProvider(options)
{
    private readonly ConcurrentDictionary<string, AuthorizationPolicy> _permissionPolicies = new(StringComparer.Ordinal);

    /// <summary>A policy depends on its name only, so the middleware may keep each endpoint's combined policy.</summary>
    public override bool AllowsCachingPolicies => true;

    public override async Task<AuthorizationPolicy?> GetPolicyAsync(string policyName) =>
        await base.GetPolicyAsync(policyName)
        ?? _permissionPolicies.GetOrAdd(policyName, name =>
            // No separate authenticated-user requirement: the permission handler succeeds only for a caller, and an
            // anonymous request that fails is challenged (401) either way.
            new AuthorizationPolicyBuilder().AddRequirements(new PermissionRequirement(name)).Build());
}

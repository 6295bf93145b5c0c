using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.IdentityModel.JsonWebTokens;

namespace Taskee.Api.Auth.Jwt;

/// <summary>
/// Turns a token the JwtBearer handler validated into a <see cref="Caller"/>: its organisation (an SSO issuer's token acts
/// on that organisation only), its roles and the permissions they grant. Any failure, also an issuer whose metadata
/// cannot be read, is an authentication failure (401), never an error.
/// </summary>
public sealed class JwtCallerEvents(IssuerRegistry issuers, IdentityCache identity) : JwtBearerEvents
{
    public const string AuthenticationType = IssuerRegistry.PlatformScheme;

    public override async Task TokenValidated(TokenValidatedContext context)
    {
        if (issuers.ByScheme(context.Scheme.Name) is not { } trusted || context.SecurityToken is not JsonWebToken token)
        {
            context.Fail("The token's issuer is no longer trusted.");
            return;
        }

        var roles = ReadRoles(token, trusted.RolesClaim);
        string? orgId;
        if (trusted.Sso is { } sso)
        {
            // An organisation's own issuer speaks for that organisation and no other.
            orgId = sso.OrgId;
            if (sso.OrgClaim is { } orgClaim && token.TryGetPayloadValue<string>(orgClaim, out var claimed) && claimed != orgId)
            {
                context.Fail("The token's organisation claim does not match its issuer's organisation.");
                return;
            }
        }
        else
        {
            orgId = token.TryGetPayloadValue<string>(trusted.OrgClaim!, out var claimed) && !string.IsNullOrEmpty(claimed) ? claimed : null;
        }

        HashSet<string> permissions;
        if (orgId is null)
        {
            permissions = Roles.Expand(roles.Where(Roles.IsPlatformRole));
            if (permissions.Count == 0)
            {
                context.Fail("The token names no organisation and no platform role.");
                return;
            }
        }
        else
        {
            permissions = Roles.Expand(roles.Where(r => !Roles.IsPlatformRole(r)), await identity.CustomRolesAsync(orgId, context.HttpContext.RequestAborted));
        }

        context.Principal = new Caller(Caller.UserKind, token.Subject ?? "unknown", orgId, permissions).ToPrincipal(AuthenticationType);
    }

    public override Task AuthenticationFailed(AuthenticationFailedContext context)
    {
        context.Fail(context.Exception);
        return Task.CompletedTask;
    }

    /// <summary>Roles as a string ("admin" or "admin billing") or an array of strings.</summary>
    private static IReadOnlyList<string> ReadRoles(JsonWebToken token, string claim)
    {
        if (token.TryGetPayloadValue<List<string>>(claim, out var many) && many is not null)
            return many.SelectMany(r => r.Split(' ', StringSplitOptions.RemoveEmptyEntries)).ToList();
        return token.TryGetPayloadValue<string>(claim, out var single) && single is not null
            ? single.Split(' ', StringSplitOptions.RemoveEmptyEntries)
            : [];
    }
}

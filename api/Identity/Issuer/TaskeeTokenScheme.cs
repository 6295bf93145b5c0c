using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Taskee.Api.Auth;
using Taskee.Api.Auth.Jwt;

namespace Taskee.Api.Identity.Issuer;

/// <summary>
/// Taskee's own tokens in the bearer pipeline: one JwtBearer scheme for the <c>Authorization</c> header
/// (<see cref="Scheme"/>, chosen by <see cref="IssuerRegistry"/> when <c>iss</c> is ours) and one for the session cookie
/// (<see cref="CookieScheme"/>). Keys come from <see cref="SigningKeys"/> (no HTTP to ourselves), ES256 only,
/// <c>typ: at+jwt</c> required, lifetimes judged by the node's clock.
/// </summary>
public static class TaskeeTokenScheme
{
    public const string Scheme = "Taskee";
    public const string CookieScheme = "TaskeeSession";

    private static readonly string[] Algorithms = [SecurityAlgorithms.EcdsaSha256];

    public static AuthenticationBuilder AddTaskeeTokens(this AuthenticationBuilder authentication) =>
        authentication.AddJwtBearer(Scheme).AddJwtBearer(CookieScheme);

    public sealed class Options(SigningKeys keys, IOptions<IssuerOptions> issuer, IOptions<JwtOptions> jwt, TimeProvider clock) : IConfigureNamedOptions<JwtBearerOptions>
    {
        public void Configure(string? name, JwtBearerOptions options)
        {
            if (name is not (Scheme or CookieScheme)) return;
            options.EventsType = typeof(TaskeeTokenEvents);
            options.MapInboundClaims = false;
            options.TokenValidationParameters = new TokenValidationParameters
            {
                ValidIssuer = issuer.Value.Url,
                ValidAudience = issuer.Value.Audience,
                ValidAlgorithms = Algorithms,
                ValidTypes = [SessionTokens.TokenType, "application/" + SessionTokens.TokenType],
                RequireSignedTokens = true,
                RequireExpirationTime = true,
                ValidateLifetime = true,
                ClockSkew = jwt.Value.ClockSkew,
                // The node's clock, not the machine's: the same clock that stamped iat/nbf/exp and rotates the keys.
                LifetimeValidator = (notBefore, expires, _, _) =>
                {
                    var now = clock.GetUtcNow().UtcDateTime;
                    var skew = jwt.Value.ClockSkew;
                    return expires is { } exp && now - skew < exp && (notBefore is not { } nbf || nbf <= now + skew);
                },
                TryAllIssuerSigningKeys = false,
                // Our tokens always name their key; one that does not is not ours.
                IssuerSigningKeyResolver = (_, _, kid, _) => kid is null ? [] : keys.Published().Where(k => k.KeyId == kid),
            };
        }

        public void Configure(JwtBearerOptions options) => Configure(Microsoft.Extensions.Options.Options.DefaultName, options);
    }
}

/// <summary>
/// Reads the token (header or session cookie), re-reads the keys first when it names one this silo does not know yet
/// (another silo just rotated), and turns a validated token into a <see cref="Caller"/> of its organisation.
/// </summary>
public sealed class TaskeeTokenEvents(SigningKeys keys, IdentityCache identity) : JwtBearerEvents
{
    private static readonly JsonWebTokenHandler Reader = new();

    public override async Task MessageReceived(MessageReceivedContext context)
    {
        var token = context.Scheme.Name == TaskeeTokenScheme.CookieScheme
            ? context.Request.Cookies[SessionCookies.Session]
            : context.Request.Headers.Authorization.ToString() is var header && header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)
                ? header["Bearer ".Length..].Trim() : null;
        if (string.IsNullOrEmpty(token))
        {
            context.NoResult();
            return;
        }
        context.Token = token;
        if (Reader.CanReadToken(token) && TryKid(token) is { } kid) await keys.KnowsAsync(kid, context.HttpContext.RequestAborted);
    }

    public override async Task TokenValidated(TokenValidatedContext context)
    {
        if (context.SecurityToken is not JsonWebToken token || !token.TryGetPayloadValue<string>("org_id", out var orgId) || string.IsNullOrEmpty(orgId)
            || string.IsNullOrEmpty(token.Subject))
        {
            context.Fail("A Taskee token names its member and organisation.");
            return;
        }
        var roles = token.TryGetPayloadValue<List<string>>("roles", out var list) && list is not null ? list : [];
        // A Taskee token speaks for one organisation: platform roles are never taken from it.
        var permissions = Roles.Expand(roles.Where(r => !Roles.IsPlatformRole(r)), await identity.CustomRolesAsync(orgId, context.HttpContext.RequestAborted));
        context.Principal = new Caller(Caller.UserKind, token.Subject, orgId, permissions).ToPrincipal(context.Scheme.Name);
    }

    public override Task AuthenticationFailed(AuthenticationFailedContext context)
    {
        context.Fail(context.Exception);
        return Task.CompletedTask;
    }

    private static string? TryKid(string token)
    {
        try
        {
            return Reader.ReadJsonWebToken(token).Kid;
        }
        catch (ArgumentException)
        {
            return null;
        }
    }
}

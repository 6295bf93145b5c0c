using System.Collections.Concurrent;
using Microsoft.AspNetCore.Http;
using Taskee.Api.Identity.SignIn;

namespace Taskee.Tests.Identity.Oidc;

/// <summary>
/// Stands in for the token issuer's sign-in service until it is on main: records whom the OIDC sign-in vouched for
/// and answers as the contract says (303 to returnTo, or the token JSON; a refusal as a problem).
/// </summary>
public sealed class RecordingSignInService : ISignInService
{
    public ConcurrentQueue<(ExternalIdentity Identity, ProvisioningPolicy Policy)> SignIns { get; } = new();

    public IReadOnlyList<ExternalIdentity> Of(string orgId) => SignIns.Select(s => s.Identity).Where(i => i.OrgId == orgId).ToList();

    public Task<SignInOutcome> SignInAsync(ExternalIdentity identity, ProvisioningPolicy policy, CancellationToken ct)
    {
        SignIns.Enqueue((identity, policy));
        var roles = identity.Groups.Select(g => policy.GroupRoles.GetValueOrDefault(g)).OfType<string>().DefaultIfEmpty(policy.DefaultRole).Distinct().ToList();
        return Task.FromResult<SignInOutcome>(new SignInOutcome.SignedIn(identity.OrgId, $"m-{identity.Subject}", roles,
            new TokenSet($"at-{identity.Subject}", "Bearer", 900, $"rt-{identity.Subject}")));
    }

    public IResult Complete(HttpContext http, SignInOutcome outcome, string? returnTo) => outcome switch
    {
        SignInOutcome.SignedIn { Tokens: var t } when http.Request.Headers.Accept.ToString().Contains("application/json", StringComparison.Ordinal) =>
            Results.Json(new { access_token = t.AccessToken, token_type = t.TokenType, expires_in = t.ExpiresIn, refresh_token = t.RefreshToken }),
        SignInOutcome.SignedIn => new SeeOther(ReturnTo.IsSafe(returnTo) ? returnTo! : ReturnTo.Default),
        SignInOutcome.Refused r => Results.Problem(statusCode: r.Status, title: r.Title, detail: r.Detail),
        _ => throw new InvalidOperationException(),
    };

    private sealed class SeeOther(string location) : IResult
    {
        public Task ExecuteAsync(HttpContext http)
        {
            http.Response.StatusCode = StatusCodes.Status303SeeOther;
            http.Response.Headers.Location = location;
            http.Response.Cookies.Append("taskee_session", "test", new CookieOptions { HttpOnly = true, SameSite = SameSiteMode.Lax, Secure = true });
            return Task.CompletedTask;
        }
    }
}

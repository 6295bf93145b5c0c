using Microsoft.AspNetCore.Http;

namespace Taskee.Api.Identity.SignIn;

/// <summary>A person an organisation's identity provider vouched for: a validated SAML assertion or OIDC ID token.</summary>
/// <param name="Method">How they proved it: <c>saml</c> or <c>oidc</c>; it becomes the access token's <c>amr</c>.</param>
/// <param name="Subject">Their id at the identity provider (SAML NameID, OIDC <c>sub</c>).</param>
/// <param name="Email">Their e-mail address: the key that links them to a member of the organisation.</param>
/// <param name="Groups">Group names (or role values) the identity provider sent; mapped to roles by <see cref="ProvisioningPolicy.GroupRoles"/>.</param>
public sealed record ExternalIdentity(
    string OrgId, string Method, string Subject, string Email, string? DisplayName, IReadOnlyList<string> Groups);

/// <summary>How an organisation treats people who sign in: from its SAML or OIDC settings.</summary>
/// <param name="JitProvisioning">Whether someone who is not yet a member becomes one (taking a seat).</param>
/// <param name="DefaultRole">The role of a person none of whose groups maps to a role.</param>
/// <param name="GroupRoles">Group name → role.</param>
public sealed record ProvisioningPolicy(bool JitProvisioning, string DefaultRole, IReadOnlyDictionary<string, string> GroupRoles);

/// <summary>The tokens of a Taskee session (OAuth 2.0 token response, RFC 6749 5.1; serialised in snake_case).</summary>
public sealed record TokenSet(string AccessToken, string TokenType, int ExpiresIn, string RefreshToken);

/// <summary>What a sign-in came to.</summary>
public abstract record SignInOutcome
{
    /// <summary>The member signed in; <paramref name="Tokens"/> is their new session.</summary>
    public sealed record SignedIn(string OrgId, string MemberId, IReadOnlyList<string> Roles, TokenSet Tokens) : SignInOutcome;

    /// <summary>Refused, with the HTTP status and a message that tells the person (or their admin) what to do.</summary>
    public sealed record Refused(int Status, string Title, string Detail) : SignInOutcome;
}

/// <summary>
/// Turns a vouched-for person into a Taskee session: finds the member by e-mail or provisions one (JIT, through the
/// organisation's grain, so the seat limit holds), works out the roles, and issues an access and a refresh token.
/// The SAML and OIDC sign-ins both end here.
/// </summary>
public interface ISignInService
{
    Task<SignInOutcome> SignInAsync(ExternalIdentity identity, ProvisioningPolicy policy, CancellationToken ct);

    /// <summary>
    /// Answers the browser or client that signed in: a 303 to <paramref name="returnTo"/> (checked with
    /// <see cref="ReturnTo.IsSafe"/>) with an HttpOnly SameSite session cookie, or the token JSON when the request
    /// accepts <c>application/json</c>; a refusal as a problem (JSON) or a plain page (browser).
    /// </summary>
    IResult Complete(HttpContext http, SignInOutcome outcome, string? returnTo);
}

/// <summary>Where a sign-in may send the browser afterwards: a path on this node, never another site.</summary>
public static class ReturnTo
{
    public const string Default = "/";

    /// <summary>
    /// True for a local absolute path (<c>/console/x?y</c>); false for anything a browser could read as another
    /// origin: <c>//evil</c>, <c>/\evil</c>, <c>https://evil</c>, control characters.
    /// </summary>
    public static bool IsSafe(string? returnTo) =>
        returnTo is { Length: > 0 and <= 2048 }
        && returnTo[0] == '/'
        && (returnTo.Length == 1 || (returnTo[1] != '/' && returnTo[1] != '\\'))
        && !returnTo.Any(c => char.IsControl(c) || c == '\\');
}

using System.Security.Claims;

namespace Taskee.Api.Auth;

/// <summary>The authenticated caller as the API sees it, read from the principal's claims.</summary>
public sealed record Caller(string KeyId, string? OrgId, IReadOnlyList<string> Scopes)
{
    public const string KeyIdClaim = "tk:key_id";
    public const string OrgIdClaim = "tk:org_id";
    public const string ScopeClaim = "scope";

    public bool IsPlatform => OrgId is null;

    /// <summary>True when the caller may act on <paramref name="orgId"/> at all (its own, or any for platform callers).</summary>
    public bool MayReach(string orgId) => IsPlatform || string.Equals(OrgId, orgId, StringComparison.Ordinal);

    public bool Has(string permission) =>
        (IsPlatform || !Permissions.IsPlatform(permission)) && Permissions.Grants(Scopes, permission);

    public static Caller? From(ClaimsPrincipal principal)
    {
        var keyId = principal.FindFirstValue(KeyIdClaim);
        if (keyId is null) return null;
        return new Caller(keyId, principal.FindFirstValue(OrgIdClaim), principal.FindAll(ScopeClaim).Select(c => c.Value).ToList());
    }

    public ClaimsPrincipal ToPrincipal(string scheme)
    {
        var claims = new List<Claim> { new(KeyIdClaim, KeyId) };
        if (OrgId is not null) claims.Add(new Claim(OrgIdClaim, OrgId));
        claims.AddRange(Scopes.Select(s => new Claim(ScopeClaim, s)));
        return new ClaimsPrincipal(new ClaimsIdentity(claims, scheme));
    }
}

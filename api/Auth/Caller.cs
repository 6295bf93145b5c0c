using System.Security.Claims;

namespace Taskee.Api.Auth;

/// <summary>
/// The authenticated caller as the API sees it: an API key or a person (JWT), the organisation it acts for
/// (null for the platform), and its permissions, resolved once at authentication.
/// </summary>
public sealed record Caller(string Kind, string Id, string? OrgId, IReadOnlySet<string> Permissions)
{
    public const string ApiKeyKind = "apiKey";
    public const string UserKind = "user";

    private const string KindClaim = "tk:kind";
    private const string IdClaim = "tk:id";
    private const string OrgIdClaim = "tk:org_id";
    private const string PermissionClaim = "tk:perm";

    public bool IsPlatform => OrgId is null;

    /// <summary>Who this is across kinds: the partition of idempotency keys and rate limits.</summary>
    public string Subject => $"{Kind}:{Id}";

    /// <summary>True when the caller may act on <paramref name="orgId"/> at all (its own, or any for platform callers).</summary>
    public bool MayReach(string orgId) => IsPlatform || string.Equals(OrgId, orgId, StringComparison.Ordinal);

    public bool Has(string permission) =>
        (IsPlatform || !Auth.Permissions.IsPlatform(permission)) && Permissions.Contains(permission);

    public static Caller? From(ClaimsPrincipal principal)
    {
        // Authorization, rate limits, idempotency and the endpoint each ask; parse the claims only when the identity
        // did not come from us in this request (an ops session cookie read back).
        if (principal.Identity is CallerIdentity identity) return identity.Caller;
        var id = principal.FindFirstValue(IdClaim);
        if (id is null) return null;
        return new Caller(principal.FindFirstValue(KindClaim) ?? ApiKeyKind, id, principal.FindFirstValue(OrgIdClaim),
            principal.FindAll(PermissionClaim).Select(c => c.Value).ToHashSet(StringComparer.Ordinal));
    }

    public ClaimsPrincipal ToPrincipal(string scheme)
    {
        var claims = new List<Claim> { new(KindClaim, Kind), new(IdClaim, Id) };
        if (OrgId is not null) claims.Add(new Claim(OrgIdClaim, OrgId));
        claims.AddRange(Permissions.Select(p => new Claim(PermissionClaim, p)));
        return new ClaimsPrincipal(new CallerIdentity(this, claims, scheme));
    }
}

/// <summary>The claims of an authenticated caller, with the <see cref="Caller"/> they were made from.</summary>
public sealed class CallerIdentity(Caller caller, IEnumerable<Claim> claims, string scheme) : ClaimsIdentity(claims, scheme)
{
    public Caller Caller { get; } = caller;
}

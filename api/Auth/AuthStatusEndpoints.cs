using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;
using Taskee.Api.Auth.Jwt;

namespace Taskee.Api.Auth;

public sealed record KeyStatus(string? Kid, string? Alg, string Kty, DateTimeOffset? ExpiresAt, bool ExpiringSoon);

public sealed record IssuerStatus(string Issuer, string? OrgId, string DiscoveryAddress, DateTimeOffset? LastSuccess, DateTimeOffset? LastFailure,
    string? LastError, bool Stale, long Refreshes, IReadOnlyList<KeyStatus> Keys);

public sealed record AuthStatus(IReadOnlyList<IssuerStatus> Issuers);

public static class AuthStatusEndpoints
{
    public static void MapAuthStatusEndpoints(this IEndpointRouteBuilder app) =>
        app.MapGet("/v1/auth/status", GetAsync).RequireAuthorization(Permissions.AuthStatusRead).WithTags("Auth").WithName("GetAuthStatus");

    public static async Task<Ok<AuthStatus>> GetAsync(IssuerRegistry issuers, IOptions<JwtOptions> options, TimeProvider clock, CancellationToken ct)
    {
        await issuers.ReloadAsync(ct);
        var now = clock.GetUtcNow();
        var warning = options.Value.ExpiryWarning;
        return TypedResults.Ok(new AuthStatus(issuers.All.Select(i => new IssuerStatus(i.Metadata.Issuer, i.Sso?.OrgId, i.Metadata.DiscoveryAddress,
            i.Metadata.LastSuccess, i.Metadata.LastFailure, i.Metadata.LastError, i.Metadata.IsStale(now), i.Metadata.Refreshes,
            i.Metadata.Keys.Select(k => new KeyStatus(k.Kid, k.Alg, k.Kty, k.ExpiresAt, k.ExpiresAt is { } at && at - now <= warning)).ToList())).ToList()));
    }
}

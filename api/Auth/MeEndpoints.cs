using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace Taskee.Api.Auth;

/// <summary>Who the caller is and what it may do: what a user interface needs to offer only the actions that will be allowed.</summary>
public sealed record MeResponse(string Kind, string Id, string? OrgId, IReadOnlyList<string> Permissions);

public static class MeEndpoints
{
    public static void MapMeEndpoints(this IEndpointRouteBuilder app) =>
        app.MapGet("/v1/me", Get).RequireAuthorization().WithTags("Auth").WithName("GetMe");

    public static Ok<MeResponse> Get(HttpContext http)
    {
        var caller = Caller.From(http.User)!;
        // Only what the caller can use: a platform permission listed on an organisation's key would never be honoured.
        return TypedResults.Ok(new MeResponse(caller.Kind, caller.Id, caller.OrgId,
            caller.Permissions.Where(caller.Has).Order(StringComparer.Ordinal).ToList()));
    }
}

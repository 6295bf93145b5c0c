using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Taskee.Api.Auth;
using Taskee.Grains.Interfaces.Scim;
using Taskee.Grains.Storage;

namespace Taskee.Api.Scim;

/// <summary>/scim/v2/Users: a provisioned user is a member of the organisation while it is active.</summary>
public static class ScimUserEndpoints
{
    private const string Resource = "User";

    public static void MapScimUsers(this RouteGroupBuilder scim)
    {
        var users = scim.MapGroup("/Users");
        users.MapPost("/", CreateAsync).RequireAuthorization(Permissions.ScimWrite).WithName("ScimCreateUser");
        users.MapGet("/", ListAsync).RequireAuthorization(Permissions.ScimRead).WithName("ScimListUsers");
        users.MapGet("/{id}", GetAsync).RequireAuthorization(Permissions.ScimRead).WithName("ScimGetUser");
        users.MapPut("/{id}", ReplaceAsync).RequireAuthorization(Permissions.ScimWrite).WithName("ScimReplaceUser");
        users.MapPatch("/{id}", PatchAsync).RequireAuthorization(Permissions.ScimWrite).WithName("ScimPatchUser");
        users.MapDelete("/{id}", DeleteAsync).RequireAuthorization(Permissions.ScimWrite).WithName("ScimDeleteUser");
    }

    public static async Task<IResult> CreateAsync(HttpContext http, IScimStore store)
    {
        var scim = ScimContext.Of(http);
        var user = ScimReader.ReadUser(await ScimContext.ReadBodyAsync(http.Request), scim.OrgId, Guid.NewGuid().ToString());
        var result = await scim.Directory.CreateScimUserAsync(user, scim.Change);
        return ScimWrites.Common(result, Resource, user.Id) ?? ScimResult.Created(await RenderAsync(scim, http, store, result.Value!), http.Request);
    }

    public static async Task<IResult> GetAsync(string id, HttpContext http, IScimStore store)
    {
        var scim = ScimContext.Of(http);
        return await store.GetUserAsync(scim.OrgId, id, http.RequestAborted) is { } user
            ? ScimResult.Ok(await RenderAsync(scim, http, store, user), http.Request)
            : ScimError.NotFound(Resource, id);
    }

    public static async Task<IResult> ListAsync(HttpContext http, IScimStore store)
    {
        var scim = ScimContext.Of(http);
        var users = await store.ListUsersAsync(scim.OrgId, http.RequestAborted);
        var groups = (await store.ListMembershipsAsync(scim.OrgId, ct: http.RequestAborted)).ToLookup(m => m.UserId);
        var byId = users.ToDictionary(u => u.Id, StringComparer.Ordinal);
        var resources = users.Select(u => ScimRepresentation.User(u, groups[u.Id], scim.BaseUrl, byId.GetValueOrDefault));
        return new ScimResult(StatusCodes.Status200OK, ScimLists.Answer(http.Request, resources));
    }

    public static async Task<IResult> ReplaceAsync(string id, HttpContext http, IScimStore store)
    {
        var scim = ScimContext.Of(http);
        var body = await ScimContext.ReadBodyAsync(http.Request);
        return await WriteAsync(scim, http, store, id, _ => ScimReader.ReadUser(body, scim.OrgId, id));
    }

    public static async Task<IResult> PatchAsync(string id, HttpContext http, IScimStore store)
    {
        var scim = ScimContext.Of(http);
        var body = await ScimContext.ReadBodyAsync(http.Request);
        return await WriteAsync(scim, http, store, id, current =>
        {
            var resource = ScimRepresentation.User(current, [], scim.BaseUrl);
            ScimPatch.Apply(resource, body);
            return ScimReader.ReadUser(resource, scim.OrgId, id);
        });
    }

    public static async Task<IResult> DeleteAsync(string id, HttpContext http)
    {
        var scim = ScimContext.Of(http);
        var result = await scim.Directory.DeleteScimUserAsync(id, ScimContext.IfMatch(http.Request), scim.Change);
        return ScimWrites.Deleted(result, Resource, id, u => u.Version);
    }

    private static Task<IResult> WriteAsync(ScimContext scim, HttpContext http, IScimStore store, string id, Func<ScimUser, ScimUser> desired) =>
        ScimWrites.ReplaceAsync(http.Request, Resource, id,
            () => store.GetUserAsync(scim.OrgId, id, http.RequestAborted),
            u => u.Version,
            current => scim.Directory.ReplaceScimUserAsync(desired(current), current.Version, scim.Change).AsTask(),
            stored => RenderAsync(scim, http, store, stored));

    /// <summary>The user as the response shows it: its groups and its manager's display name.</summary>
    private static async Task<JsonObject> RenderAsync(ScimContext scim, HttpContext http, IScimStore store, ScimUser user)
    {
        var memberships = await store.ListMembershipsAsync(scim.OrgId, user.Id);
        var resource = ScimRepresentation.User(user, memberships, scim.BaseUrl);
        if (ScimRepresentation.ManagerId(resource) is { } managerId && await store.GetUserAsync(scim.OrgId, managerId, http.RequestAborted) is { } manager)
            resource = ScimRepresentation.User(user, memberships, scim.BaseUrl, id => id == manager.Id ? manager : null);
        return resource;
    }
}

using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Taskee.Api.Auth;
using Taskee.Grains.Interfaces.Scim;
using Taskee.Grains.Storage;

namespace Taskee.Api.Scim;

/// <summary>/scim/v2/Groups: groups of provisioned users; a mapped group gives its members a role.</summary>
public static class ScimGroupEndpoints
{
    private const string Resource = "Group";

    public static void MapScimGroups(this RouteGroupBuilder scim)
    {
        var groups = scim.MapGroup("/Groups");
        groups.MapPost("/", CreateAsync).RequireAuthorization(Permissions.ScimWrite).WithName("ScimCreateGroup");
        groups.MapGet("/", ListAsync).RequireAuthorization(Permissions.ScimRead).WithName("ScimListGroups");
        groups.MapGet("/{id}", GetAsync).RequireAuthorization(Permissions.ScimRead).WithName("ScimGetGroup");
        groups.MapPut("/{id}", ReplaceAsync).RequireAuthorization(Permissions.ScimWrite).WithName("ScimReplaceGroup");
        groups.MapPatch("/{id}", PatchAsync).RequireAuthorization(Permissions.ScimWrite).WithName("ScimPatchGroup");
        groups.MapDelete("/{id}", DeleteAsync).RequireAuthorization(Permissions.ScimWrite).WithName("ScimDeleteGroup");
    }

    public static async Task<IResult> CreateAsync(HttpContext http, IScimStore store)
    {
        var scim = ScimContext.Of(http);
        var (displayName, externalId, members) = ScimReader.ReadGroup(await ScimContext.ReadBodyAsync(http.Request));
        var group = new ScimGroup(scim.OrgId, Guid.NewGuid().ToString(), displayName, externalId, members, 0, default, default);
        var result = await scim.Directory.CreateScimGroupAsync(group, scim.Change);
        return ScimWrites.Common(result, Resource, group.Id) ?? ScimResult.Created(await RenderAsync(scim, http, store, result.Value!), http.Request);
    }

    public static async Task<IResult> GetAsync(string id, HttpContext http, IScimStore store)
    {
        var scim = ScimContext.Of(http);
        return await store.GetGroupAsync(scim.OrgId, id, http.RequestAborted) is { } group
            ? ScimResult.Ok(await RenderAsync(scim, http, store, group), http.Request)
            : ScimError.NotFound(Resource, id);
    }

    public static async Task<IResult> ListAsync(HttpContext http, IScimStore store)
    {
        var scim = ScimContext.Of(http);
        var groups = await store.ListGroupsAsync(scim.OrgId, http.RequestAborted);
        var users = await UsersAsync(scim, store);
        return new ScimResult(StatusCodes.Status200OK, ScimLists.Answer(http.Request, groups.Select(g => ScimRepresentation.Group(g, users, scim.BaseUrl))));
    }

    public static async Task<IResult> ReplaceAsync(string id, HttpContext http, IScimStore store)
    {
        var scim = ScimContext.Of(http);
        var body = await ScimContext.ReadBodyAsync(http.Request);
        return await WriteAsync(scim, http, store, id, current => FromJson(current, body));
    }

    public static async Task<IResult> PatchAsync(string id, HttpContext http, IScimStore store)
    {
        var scim = ScimContext.Of(http);
        var body = await ScimContext.ReadBodyAsync(http.Request);
        var users = await UsersAsync(scim, store);
        return await WriteAsync(scim, http, store, id, current =>
        {
            var resource = ScimRepresentation.Group(current, users, scim.BaseUrl);
            ScimPatch.Apply(resource, body);
            return FromJson(current, resource);
        });
    }

    public static async Task<IResult> DeleteAsync(string id, HttpContext http)
    {
        var scim = ScimContext.Of(http);
        var result = await scim.Directory.DeleteScimGroupAsync(id, ScimContext.IfMatch(http.Request), scim.Change);
        return ScimWrites.Deleted(result, Resource, id, g => g.Version);
    }

    private static ScimGroup FromJson(ScimGroup current, JsonObject json)
    {
        var (displayName, externalId, members) = ScimReader.ReadGroup(json);
        return current with { DisplayName = displayName, ExternalId = externalId, Members = members };
    }

    private static Task<IResult> WriteAsync(ScimContext scim, HttpContext http, IScimStore store, string id, Func<ScimGroup, ScimGroup> desired) =>
        ScimWrites.ReplaceAsync(http.Request, Resource, id,
            () => store.GetGroupAsync(scim.OrgId, id, http.RequestAborted),
            g => g.Version,
            current => scim.Directory.ReplaceScimGroupAsync(desired(current), current.Version, scim.Change).AsTask(),
            stored => RenderAsync(scim, http, store, stored));

    private static async Task<IReadOnlyDictionary<string, ScimUser>> UsersAsync(ScimContext scim, IScimStore store) =>
        (await store.ListUsersAsync(scim.OrgId)).ToDictionary(u => u.Id, StringComparer.Ordinal);

    private static async Task<JsonObject> RenderAsync(ScimContext scim, HttpContext http, IScimStore store, ScimGroup group) =>
        ScimRepresentation.Group(group, await UsersAsync(scim, store), scim.BaseUrl);
}

using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Taskee.Grains.Interfaces.Scim;

namespace Taskee.Api.Scim;

/// <summary>
/// A replace (PUT or PATCH) computed from the current resource and committed at its version. Without If-Match a
/// concurrent change recomputes; with one, a different version answers 412.
/// </summary>
public static class ScimWrites
{
    private const int MaxAttempts = 8;

    /// <summary>The write's answer: the <paramref name="render"/>ed resource, or the error of <see cref="Common"/>.</summary>
    public static async Task<IResult> ReplaceAsync<T>(HttpRequest request, string resource, string id,
        Func<Task<T?>> load, Func<T, long> versionOf, Func<T, Task<ScimWriteResult<T>>> write, Func<T, Task<JsonObject>> render)
        where T : class
    {
        var ifMatch = ScimContext.IfMatch(request);
        for (var attempt = 1; ; attempt++)
        {
            if (await load() is not { } current) return ScimError.NotFound(resource, id);
            if (ifMatch is { } expected && expected != versionOf(current)) return ScimError.PreconditionFailed(ScimRepresentation.ETag(versionOf(current)));
            var result = await write(current);
            if (result.Status != ScimWriteStatus.VersionMismatch) return Common(result, resource, id) ?? ScimResult.Ok(await render(result.Value!), request);
            if (ifMatch is not null || attempt == MaxAttempts) return ScimError.PreconditionFailed(ScimRepresentation.ETag(versionOf(result.Value ?? current)));
        }
    }

    /// <summary>A DELETE's answer: 204, 412 with the current version, or the error of <see cref="Common"/>.</summary>
    public static IResult Deleted<T>(ScimWriteResult<T> result, string resource, string id, Func<T, long> versionOf) =>
        result.Status == ScimWriteStatus.VersionMismatch
            ? ScimError.PreconditionFailed(ScimRepresentation.ETag(versionOf(result.Value!)))
            : Common(result, resource, id) ?? Results.NoContent();

    /// <summary>The answers every write shares; null for the statuses the caller answers itself.</summary>
    public static IResult? Common<T>(ScimWriteResult<T> result, string resource, string id) => result.Status switch
    {
        ScimWriteStatus.NotFound => ScimError.NotFound(resource, id),
        ScimWriteStatus.NoSuchOrganisation => new ScimError(StatusCodes.Status404NotFound, "The organisation of this key was not found."),
        ScimWriteStatus.UserNameTaken => new ScimError(StatusCodes.Status409Conflict, result.Detail ?? "userName is taken.", ScimType.Uniqueness),
        ScimWriteStatus.SeatLimitReached => new ScimError(StatusCodes.Status403Forbidden,
            $"The organisation's seat limit is reached: {result.Detail} Nothing was provisioned; deactivate a user or raise the seat limit."),
        ScimWriteStatus.UnknownMember => ScimError.BadRequest(ScimType.InvalidValue, result.Detail ?? "A member is not a user of this organisation."),
        _ => null,
    };
}

using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace Taskee.Api.Scim;

/// <summary>
/// An RFC 7644 3.12 error: <c>{"schemas":[Error],"status":"409","scimType":"uniqueness","detail":"..."}</c>, with
/// <c>status</c> as a string as the RFC has it. Every error under /scim/v2 has this shape.
/// </summary>
public sealed class ScimError(int status, string detail, string? scimType = null) : IResult
{
    public int Status { get; } = status;
    public string Detail { get; } = detail;
    public string? ScimType { get; } = scimType;

    public static JsonObject Body(int status, string detail, string? scimType, string? requestId)
    {
        var body = new JsonObject
        {
            ["schemas"] = new JsonArray(ScimSchemas.Error),
            ["status"] = status.ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
        if (scimType is not null) body["scimType"] = scimType;
        body["detail"] = detail;
        if (requestId is not null) body["requestId"] = requestId; // an extension: what support asks for
        return body;
    }

    public Task ExecuteAsync(HttpContext context) => ScimResult.WriteAsync(context, Status, Body(Status, Detail, ScimType, context.TraceIdentifier));

    public static ScimError BadRequest(string scimType, string detail) => new(StatusCodes.Status400BadRequest, detail, scimType);

    public static ScimError NotFound(string resource, string id) =>
        new(StatusCodes.Status404NotFound, $"{resource} '{id}' was not found in this organisation's directory.");

    public static ScimError PreconditionFailed(string currentVersion) =>
        new(StatusCodes.Status412PreconditionFailed, $"If-Match does not match the current version {currentVersion}; read the resource again and retry.");
}

using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace Taskee.Api.Scim;

/// <summary>A SCIM resource or message as <c>application/scim+json</c>, with its Location and ETag when it is a resource.</summary>
public sealed class ScimResult(int status, JsonNode body, string? location = null, string? etag = null) : IResult
{
    public Task ExecuteAsync(HttpContext context)
    {
        if (location is not null) context.Response.Headers.Location = location;
        if (etag is not null) context.Response.Headers.ETag = etag;
        return WriteAsync(context, status, body);
    }

    public static async Task WriteAsync(HttpContext context, int status, JsonNode body)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = ScimSchemas.MediaType;
        await using var writer = new Utf8JsonWriter(context.Response.Body);
        body.WriteTo(writer);
        await writer.FlushAsync(context.RequestAborted);
    }

    /// <summary>The resource with its ETag, trimmed to the request's attributes (<see cref="ScimProjection"/>) after the headers are read.</summary>
    public static ScimResult Ok(JsonObject resource, HttpRequest request)
    {
        var etag = Version(resource);
        return new(StatusCodes.Status200OK, ScimProjection.Apply(request, resource), etag: etag);
    }

    public static ScimResult Created(JsonObject resource, HttpRequest request)
    {
        var (location, etag) = (resource["meta"]?["location"]?.GetValue<string>(), Version(resource));
        return new(StatusCodes.Status201Created, ScimProjection.Apply(request, resource), location, etag);
    }

    private static string? Version(JsonObject resource) => resource["meta"]?["version"]?.GetValue<string>();
}

using Microsoft.AspNetCore.Http;

namespace Taskee.Api.Scim;

/// <summary>
/// Writes the problems the pipeline raises itself under /scim/v2 (401, 403, 404 and 405 of routing, 413, 415, 429,
/// malformed requests, 500) as SCIM errors, so a SCIM client never sees problem details. Registered ahead of the
/// default writer.
/// </summary>
public sealed class ScimErrorWriter : IProblemDetailsWriter
{
    public static bool IsScim(HttpContext context) => context.Request.Path.StartsWithSegments(ScimEndpoints.BasePath, StringComparison.OrdinalIgnoreCase);

    public bool CanWrite(ProblemDetailsContext context) => IsScim(context.HttpContext);

    public ValueTask WriteAsync(ProblemDetailsContext context)
    {
        var http = context.HttpContext;
        var status = context.ProblemDetails.Status ?? http.Response.StatusCode;
        var scimType = status == StatusCodes.Status400BadRequest ? ScimType.InvalidSyntax : null;
        var detail = context.ProblemDetails.Detail ?? DefaultDetail(status);
        return new ValueTask(ScimResult.WriteAsync(http, status, ScimError.Body(status, detail, scimType, http.TraceIdentifier)));
    }

    /// <summary>What the framework's own answers (status code pages) say: what to do instead.</summary>
    private static string DefaultDetail(int status) => status switch
    {
        StatusCodes.Status404NotFound => "There is no such SCIM endpoint; under /scim/v2 there are Users, Groups, ServiceProviderConfig, ResourceTypes and Schemas.",
        StatusCodes.Status405MethodNotAllowed => "This SCIM endpoint does not accept this method; resources take GET, POST (collections), PUT, PATCH and DELETE.",
        StatusCodes.Status415UnsupportedMediaType => "Send the body as 'Content-Type: application/scim+json' (application/json is accepted too).",
        StatusCodes.Status413PayloadTooLarge => "The request body is too large; split the request.",
        _ => "The request failed.",
    };
}

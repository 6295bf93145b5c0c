using System.Globalization;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.OpenApi;
using Taskee.Api.Infrastructure;

namespace Taskee.Api.OpenApi;

/// <summary>
/// Adds to every operation the RFC 9457 problem responses the shared pipeline can give it, so each endpoint need
/// not repeat them: 503 for all (a node starting or stopping, an organisation's silo unreachable); 400 where there is
/// input (parameters, a body); 413 and 415 with a body; 401, 403 and 429 behind authorization; 404 with a path
/// parameter; 409 and 422 for an <c>Idempotency-Key</c> mutation (in progress, reused). What only a handler decides
/// (a 412 on If-Match, say) the endpoint declares itself with <c>ProducesProblem</c>; this fills in its content type.
/// </summary>
internal sealed class ProblemResponses : IOpenApiOperationTransformer
{
    private const string ProblemContentType = "application/problem+json";

    public async Task TransformAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        var description = context.Description;
        var metadata = description.ActionDescriptor.EndpointMetadata;
        var authorized = metadata.OfType<IAuthorizeData>().Any() && !metadata.OfType<IAllowAnonymous>().Any();
        var hasBody = operation.RequestBody is not null;
        var hasInput = hasBody || operation.Parameters is { Count: > 0 };
        var idempotent = metadata.OfType<IdempotentMutationAttribute>().Any();

        var statuses = new List<int> { StatusCodes.Status503ServiceUnavailable };
        if (hasInput) statuses.Add(StatusCodes.Status400BadRequest);
        if (hasBody) statuses.AddRange([StatusCodes.Status413PayloadTooLarge, StatusCodes.Status415UnsupportedMediaType]);
        if (authorized) statuses.AddRange([StatusCodes.Status401Unauthorized, StatusCodes.Status403Forbidden, StatusCodes.Status429TooManyRequests]);
        if (description.RelativePath?.Contains('{') == true) statuses.Add(StatusCodes.Status404NotFound);
        if (idempotent) statuses.AddRange([StatusCodes.Status409Conflict, StatusCodes.Status422UnprocessableEntity]);

        operation.Responses ??= [];
        foreach (var (code, response) in operation.Responses)
        {
            // Declared by the endpoint (ProducesProblem, ProducesValidationProblem): give it the problem body if it has none.
            if (int.TryParse(code, out var status) && status >= 400 && response is OpenApiResponse { Content: null or { Count: 0 } } bare)
                bare.Content = await ProblemContentAsync(status, context, cancellationToken);
        }
        foreach (var status in statuses.Where(s => !operation.Responses.ContainsKey(s.ToString(CultureInfo.InvariantCulture))))
        {
            operation.Responses[status.ToString(CultureInfo.InvariantCulture)] = new OpenApiResponse
            {
                Description = ReasonPhrases.GetReasonPhrase(status),
                Content = await ProblemContentAsync(status, context, cancellationToken),
            };
        }
    }

    private static async Task<Dictionary<string, OpenApiMediaType>> ProblemContentAsync(
        int status, OpenApiOperationTransformerContext context, CancellationToken ct)
    {
        var type = status == StatusCodes.Status400BadRequest ? typeof(HttpValidationProblemDetails) : typeof(ProblemDetails);
        return new() { [ProblemContentType] = new OpenApiMediaType { Schema = await context.GetOrCreateSchemaAsync(type, null, ct) } };
    }
}

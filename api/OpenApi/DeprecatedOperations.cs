using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using Taskee.Api.Infrastructure;

namespace Taskee.Api.OpenApi;

/// <summary>Marks the operations of routes mapped with <see cref="DeprecationExtensions.Deprecated{TBuilder}"/> as deprecated.</summary>
internal sealed class DeprecatedOperations : IOpenApiOperationTransformer
{
    public Task TransformAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        if (context.Description.ActionDescriptor.EndpointMetadata.OfType<ApiDeprecation>().LastOrDefault() is { } deprecation)
        {
            operation.Deprecated = true;
            var sunset = deprecation.Sunset.UtcDateTime.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
            operation.Description = $"{operation.Description}\n\nDeprecated; removed after {sunset}. See {deprecation.Link.AbsoluteUri}.".TrimStart();
        }
        return Task.CompletedTask;
    }
}

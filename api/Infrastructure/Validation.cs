using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Taskee.Api.Infrastructure;

/// <summary>A request body that can say what is wrong with it, field by field.</summary>
public interface IValidatable
{
    /// <summary>Adds an entry per problem; an empty dictionary means valid.</summary>
    void Validate(ValidationErrors errors);
}

public sealed class ValidationErrors
{
    private readonly Dictionary<string, List<string>> _errors = new(StringComparer.Ordinal);

    public bool Any => _errors.Count > 0;

    public void Add(string field, string error)
    {
        if (!_errors.TryGetValue(field, out var list)) _errors[field] = list = [];
        list.Add(error);
    }

    public Dictionary<string, string[]> ToDictionary() => _errors.ToDictionary(e => e.Key, e => e.Value.ToArray());
}

/// <summary>Answers 400 with a validation problem, before the handler runs, when the body is invalid or missing.</summary>
public sealed class ValidationFilter<T> : IEndpointFilter where T : class, IValidatable
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var body = context.Arguments.OfType<T>().FirstOrDefault();
        var errors = new ValidationErrors();
        if (body is null) errors.Add("body", "A JSON body is required.");
        else body.Validate(errors);
        return errors.Any ? TypedResults.ValidationProblem(errors.ToDictionary()) : await next(context);
    }
}

public static class ValidationExtensions
{
    public static RouteHandlerBuilder Validates<T>(this RouteHandlerBuilder builder) where T : class, IValidatable =>
        builder.AddEndpointFilter<ValidationFilter<T>>().ProducesValidationProblem();
}

using System.Text.Json;
using System.Text.RegularExpressions;

namespace Taskee.Api.Infrastructure;

/// <summary>
/// Says what is wrong with a JSON body in terms of the request (the field, what to send), never in terms of our .NET
/// types, which System.Text.Json's own messages name.
/// </summary>
public static partial class JsonProblemDetail
{
    public static string Describe(JsonException json)
    {
        var field = Field(json.Path);
        if (UnmappedProperty().Match(json.Message) is { Success: true } unmapped)
        {
            var name = unmapped.Groups[1].Value;
            var where = field is null || field == name || field.EndsWith("." + name, StringComparison.Ordinal) ? field ?? name : $"{field}.{name}";
            return $"'{where}' is not a field of this request body; remove it or check its spelling (see /openapi).";
        }
        if (json.Message.Contains("could not be converted to", StringComparison.Ordinal))
        {
            return field is null
                ? "The request body must be a JSON object with the fields of this request (see /openapi)."
                : $"'{field}' in the request body has the wrong type: {Expected(json.Message)}.";
        }
        var position = json.LineNumber is { } line ? $" (line {line + 1}, position {json.BytePositionInLine + 1})" : "";
        return $"The request body is not valid JSON{position}: check brackets, quotes and commas.";
    }

    private static string? Field(string? path) =>
        string.IsNullOrEmpty(path) || path == "$" ? null : path.StartsWith("$.", StringComparison.Ordinal) ? path[2..] : path.TrimStart('$');

    private static string Expected(string message) => ConvertedTo().Match(message).Groups[1].Value switch
    {
        "System.Int64" or "System.Int32" => "send a whole number, not a string",
        "System.Decimal" or "System.Double" => "send a number, not a string",
        "System.Boolean" => "send true or false",
        "System.String" => "send a string",
        "System.DateTimeOffset" => "send an ISO 8601 time, like \"2026-11-15T00:00:00Z\"",
        var type when type.Contains("List", StringComparison.Ordinal) || type.EndsWith("[]", StringComparison.Ordinal) => "send a list",
        var type when type.Contains("Dictionary", StringComparison.Ordinal) => "send an object",
        _ => "send it as the API reference shows (/openapi): numbers as numbers, true/false as booleans",
    };

    [GeneratedRegex("The JSON property '([^']*)' could not be mapped")]
    private static partial Regex UnmappedProperty();

    [GeneratedRegex(@"could not be converted to ([^\s.]+(?:\.[^\s.]+)*)")]
    private static partial Regex ConvertedTo();
}

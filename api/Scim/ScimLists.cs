using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Taskee.Api.Scim.Filters;

namespace Taskee.Api.Scim;

/// <summary>
/// A list request (RFC 7644 3.4.2): <c>filter</c> evaluated in memory over the organisation's resources (as many as its
/// directory holds: bounded by its seats plus deactivated users), 1-based <c>startIndex</c>, <c>count</c> of at most
/// <see cref="ScimSchemas.MaxResults"/>, and the page's attributes chosen by <see cref="ScimProjection"/> after the filter
/// (Entra filters groups on members while it leaves them out).
/// </summary>
public static class ScimLists
{
    public static JsonObject Answer(HttpRequest request, IEnumerable<JsonObject> resources)
    {
        var query = request.Query;
        ScimFilter? filter = null;
        if (query["filter"].ToString() is { Length: > 0 } text)
        {
            try
            {
                filter = ScimFilterParser.Parse(text);
            }
            catch (ScimFilterException ex)
            {
                throw new ScimRequestException(ScimError.BadRequest(ScimType.InvalidFilter, ex.Message));
            }
        }
        // RFC 7644 3.4.2.4: a startIndex below 1 is 1, a negative count is 0.
        var startIndex = Math.Max(1, Integer(query, "startIndex") ?? 1);
        var count = Math.Clamp(Integer(query, "count") ?? ScimSchemas.MaxResults, 0, ScimSchemas.MaxResults);

        var matching = filter is null ? resources.ToList() : resources.Where(r => ScimFilterEvaluator.Matches(r, filter)).ToList();
        var page = matching.Skip(startIndex - 1).Take(count).Select(r => (JsonNode)ScimProjection.Apply(request, r)).ToList();
        return ScimRepresentation.List(page, matching.Count, startIndex);
    }

    private static int? Integer(IQueryCollection query, string name)
    {
        var text = query[name].ToString();
        if (text.Length == 0) return null;
        return int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw new ScimRequestException(ScimError.BadRequest(ScimType.InvalidValue, $"{name} must be an integer, e.g. {name}=1."));
    }
}

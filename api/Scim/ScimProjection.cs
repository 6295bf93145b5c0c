using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Taskee.Api.Scim.Filters;

namespace Taskee.Api.Scim;

/// <summary>
/// The <c>attributes</c> and <c>excludedAttributes</c> query parameters (RFC 7644 3.4.2.5, 3.9): comma-separated
/// attribute paths, sub-attributes (<c>name.givenName</c>, <c>emails.value</c>) and extension attributes
/// (<c>urn:...:enterprise:2.0:User:department</c>) included. <c>id</c>, <c>schemas</c> and <c>meta.resourceType</c>
/// are returned whatever is asked (RFC 7643 "returned: always"); <c>attributes</c> wins when both are sent.
/// </summary>
public static class ScimProjection
{
    public static JsonObject Apply(HttpRequest request, JsonObject resource)
    {
        var included = Paths(request, "attributes");
        if (included.Count > 0) return Include(resource, included);
        foreach (var path in Paths(request, "excludedAttributes")) Exclude(resource, path);
        return resource;
    }

    /// <summary>Refuses an <c>attributes</c> or <c>excludedAttributes</c> that is no list of paths (400 invalidValue).</summary>
    public static void Validate(HttpRequest request)
    {
        Paths(request, "attributes");
        Paths(request, "excludedAttributes");
    }

    private static List<ScimPath> Paths(HttpRequest request, string parameter)
    {
        var paths = new List<ScimPath>();
        foreach (var text in request.Query[parameter].SelectMany(v => (v ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)))
        {
            ScimPath path;
            try
            {
                path = ScimFilterParser.ParsePath(text);
            }
            catch (ScimFilterException)
            {
                throw Invalid(parameter, $"'{text}' is not an attribute path");
            }
            if (path.Filter is not null) throw Invalid(parameter, $"'{text}' has a value filter, which {parameter} does not take");
            paths.Add(path);
        }
        return paths;
    }

    private static JsonObject Include(JsonObject resource, List<ScimPath> paths)
    {
        var result = new JsonObject();
        foreach (var always in new[] { "schemas", "id" })
            if (ScimFilterEvaluator.Get(resource, always) is { } value) result[always] = value.DeepClone();
        if (ScimFilterEvaluator.Get(resource, "meta") is JsonObject meta && meta["resourceType"] is { } type)
            result["meta"] = new JsonObject { ["resourceType"] = type.DeepClone() };

        foreach (var path in paths)
        {
            if (path.Container(resource) is not { } source || Key(source, path.Attribute) is not { } key) continue;
            var target = path.Schema is null ? result : Sub(result, path.Schema, () => new JsonObject());
            var value = source[key];
            if (path.SubAttribute is null) target[key] = value?.DeepClone();
            else if (value is JsonObject complex) CopySub(complex, Sub(target, key, () => new JsonObject()), path.SubAttribute);
            else if (value is JsonArray elements)
            {
                // emails.value: each element with only the sub-attributes asked for, in the same order.
                var copies = Sub(target, key, () => new JsonArray(elements.Select(_ => (JsonNode)new JsonObject()).ToArray()));
                for (var i = 0; i < elements.Count && i < copies.Count; i++)
                    if (elements[i] is JsonObject element && copies[i] is JsonObject copy) CopySub(element, copy, path.SubAttribute);
            }
        }
        return result;
    }

    private static T Sub<T>(JsonObject target, string key, Func<T> create) where T : JsonNode
    {
        if (target[key] is T existing) return existing;
        var created = create();
        target[key] = created;
        return created;
    }

    private static void CopySub(JsonObject source, JsonObject target, string sub)
    {
        if (Key(source, sub) is { } key) target[key] = source[key]?.DeepClone();
    }

    private static void Exclude(JsonObject resource, ScimPath path)
    {
        if (path.Schema is null && path.SubAttribute is null && Is(path.Attribute, "id", "schemas")) return;
        if (path.Container(resource) is not { } container || Key(container, path.Attribute) is not { } key) return;
        var value = container[key];
        if (path.SubAttribute is null)
        {
            if (path.Schema is null && Is(key, "meta") && value is JsonObject meta)
            {
                foreach (var name in meta.Select(p => p.Key).Where(k => k != "resourceType").ToList()) meta.Remove(name);
                return;
            }
            container.Remove(key);
            return;
        }
        if (path.Schema is null && Is(key, "meta") && Is(path.SubAttribute, "resourceType")) return;
        IEnumerable<JsonObject> owners = value switch
        {
            JsonObject complex => [complex],
            JsonArray elements => elements.OfType<JsonObject>(),
            _ => [],
        };
        foreach (var owner in owners)
            if (Key(owner, path.SubAttribute) is { } subKey) owner.Remove(subKey);
    }

    private static string? Key(JsonObject json, string name) =>
        json.Select(p => p.Key).FirstOrDefault(k => string.Equals(k, name, StringComparison.OrdinalIgnoreCase));

    private static bool Is(string name, params string[] names) => names.Any(n => string.Equals(name, n, StringComparison.OrdinalIgnoreCase));

    private static ScimRequestException Invalid(string parameter, string what) =>
        new(ScimError.BadRequest(ScimType.InvalidValue, $"{parameter}: {what}; send attribute paths separated by commas, e.g. {parameter}=userName,name.givenName,emails.value."));
}

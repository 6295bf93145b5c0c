using System.Text.Json;
using System.Text.Json.Nodes;

namespace Taskee.Api.Scim.Filters;

/// <summary>
/// Evaluates a <see cref="ScimFilter"/> against a resource in its SCIM JSON form. A comparison on a multi-valued
/// attribute holds when any value satisfies it; <c>ne</c> is the negation of <c>eq</c>. Strings compare case-insensitively
/// unless RFC 7643 makes the attribute caseExact; dates compare as instants.
/// </summary>
public static class ScimFilterEvaluator
{
    public static bool Matches(JsonNode resource, ScimFilter filter) => Matches(resource, filter, parent: null);

    /// <param name="parent">The multi-valued attribute whose element is being matched (for <c>emails[...]</c>), so rules apply by full name.</param>
    public static bool Matches(JsonNode resource, ScimFilter filter, string? parent) => filter switch
    {
        ScimAnd a => Matches(resource, a.Left, parent) && Matches(resource, a.Right, parent),
        ScimOr o => Matches(resource, o.Left, parent) || Matches(resource, o.Right, parent),
        ScimNot n => !Matches(resource, n.Inner, parent),
        ScimPresent p => Values(resource, p.Path, parent).Any(IsPresent),
        ScimHas h => Values(resource, h.Path, parent).Any(v => v is not null),
        ScimCompare { Operator: "ne" } c => !Compare(resource, c with { Operator = "eq" }, parent),
        ScimCompare c => Compare(resource, c, parent),
        _ => false,
    };

    private static bool Compare(JsonNode resource, ScimCompare compare, string? parent)
    {
        var name = FullName(compare.Path, parent);
        var values = Values(resource, compare.Path, parent).ToList();
        if (compare.Value is null) return !values.Any(IsPresent); // eq null: absent
        return values.Any(v => CompareOne(v, compare.Operator, compare.Value, name));
    }

    private static bool CompareOne(JsonNode? actual, string op, JsonValue expected, string name)
    {
        // A complex value compared as a whole means its "value" sub-attribute (emails eq "x").
        if (actual is JsonObject complex) actual = Get(complex, "value");
        if (actual is not JsonValue value) return false;

        if (ScimAttributes.IsDate(name))
        {
            if (value.GetValueKind() != JsonValueKind.String || !ScimAttributes.TryParseDate(value.GetValue<string>(), out var left)) return false;
            ScimAttributes.TryParseDate(expected.GetValue<string>(), out var right);
            return Ordered(left.CompareTo(right), op);
        }

        switch (expected.GetValueKind(), value.GetValueKind())
        {
            case (JsonValueKind.String, JsonValueKind.String):
                var comparison = ScimAttributes.IsCaseExact(name) ? StringComparison.Ordinal : StringComparison.OrdinalIgnoreCase;
                var a = value.GetValue<string>();
                var b = expected.GetValue<string>();
                return op switch
                {
                    "eq" => string.Equals(a, b, comparison),
                    "co" => a.Contains(b, comparison),
                    "sw" => a.StartsWith(b, comparison),
                    "ew" => a.EndsWith(b, comparison),
                    _ => Ordered(string.Compare(a, b, comparison), op),
                };
            case (JsonValueKind.True or JsonValueKind.False, JsonValueKind.True or JsonValueKind.False):
                return op == "eq" && expected.GetValue<bool>() == value.GetValue<bool>();
            case (JsonValueKind.Number, JsonValueKind.Number):
                return Ordered(value.GetValue<decimal>().CompareTo(expected.GetValue<decimal>()), op);
            default:
                return false;
        }
    }

    private static bool Ordered(int order, string op) => op switch
    {
        "eq" => order == 0,
        "gt" => order > 0,
        "ge" => order >= 0,
        "lt" => order < 0,
        "le" => order <= 0,
        _ => false,
    };

    /// <summary>The values a path selects: every element of a multi-valued attribute (filtered), or its sub-attribute.</summary>
    public static IEnumerable<JsonNode?> Values(JsonNode resource, ScimPath path, string? parent = null)
    {
        var node = resource is JsonObject o && path.Container(o) is { } container ? Get(container, path.Attribute) : null;
        // Arrays of nodes, not collection expressions: a JsonArray target would re-parent the node.
        IEnumerable<JsonNode?> elements = node is JsonArray array ? array : new[] { node };
        if (path.Filter is { } filter)
        {
            var name = FullName(path with { Filter = null, SubAttribute = null }, parent);
            elements = elements.Where(e => e is JsonObject && Matches(e, filter, name));
        }
        if (path.SubAttribute is not { } sub) return elements;
        return elements.SelectMany<JsonNode?, JsonNode?>(e => e is JsonObject element && Get(element, sub) is { } v ? (v is JsonArray many ? many : new[] { v }) : Array.Empty<JsonNode?>());
    }

    /// <summary>A property by name, case-insensitively (RFC 7643 2.1).</summary>
    public static JsonNode? Get(JsonObject node, string name)
    {
        if (node.TryGetPropertyValue(name, out var exact)) return exact;
        foreach (var (key, value) in node)
            if (string.Equals(key, name, StringComparison.OrdinalIgnoreCase)) return value;
        return null;
    }

    private static bool IsPresent(JsonNode? node) => node switch
    {
        null => false,
        JsonArray a => a.Count > 0,
        JsonObject o => o.Count > 0,
        JsonValue v when v.GetValueKind() == JsonValueKind.String => v.GetValue<string>().Length > 0,
        JsonValue v => v.GetValueKind() != JsonValueKind.Null,
        _ => true,
    };

    private static string FullName(ScimPath path, string? parent) => parent is null ? path.Name : $"{parent}.{path.Name}";
}

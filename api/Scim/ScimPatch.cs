using System.Text.Json;
using System.Text.Json.Nodes;
using Taskee.Api.Scim.Filters;

namespace Taskee.Api.Scim;

/// <summary>
/// Applies an RFC 7644 3.5.2 PatchOp to a resource's SCIM JSON, accepting what Okta and Microsoft Entra ID send: <c>op</c>
/// in any case, replace without a path (an object of attributes, whose keys may be paths), <c>name.givenName</c>,
/// <c>emails[type eq "work"].value</c> (created when no e-mail matches), <c>members[value eq "..."]</c> removal, and
/// members added or removed as a list. The result is read again by <see cref="ScimReader"/>, which validates it.
/// </summary>
public static class ScimPatch
{
    private const int MaxOperations = 1000;

    // Read-only or server-owned: a path-less PATCH that sends them (Okta sends the id) leaves them alone.
    private static readonly HashSet<string> ReadOnly = new(StringComparer.OrdinalIgnoreCase) { "id", "meta", "schemas", "groups" };

    public static void Apply(JsonObject resource, JsonObject body)
    {
        if (ScimFilterEvaluator.Get(body, "Operations") is not JsonArray operations || operations.Count == 0)
            throw Error(ScimType.InvalidSyntax, "A PATCH body is {\"schemas\":[\"" + ScimSchemas.PatchOp + "\"],\"Operations\":[{\"op\":\"replace\",\"path\":\"...\",\"value\":...}]}.");
        if (operations.Count > MaxOperations) throw Error(ScimType.TooMany, $"The PATCH has {operations.Count} operations; at most {MaxOperations} are accepted.");

        for (var i = 0; i < operations.Count; i++)
        {
            if (operations[i] is not JsonObject operation) throw Error(ScimType.InvalidSyntax, $"Operations[{i}] must be an object with op, path and value.");
            var op = ScimFilterEvaluator.Get(operation, "op") is JsonValue o && o.GetValueKind() == JsonValueKind.String ? o.GetValue<string>().ToLowerInvariant() : null;
            if (op is not ("add" or "replace" or "remove"))
                throw Error(ScimType.InvalidSyntax, $"Operations[{i}].op must be add, replace or remove.");
            var value = ScimFilterEvaluator.Get(operation, "value");
            var pathText = ScimFilterEvaluator.Get(operation, "path") is JsonValue p && p.GetValueKind() == JsonValueKind.String ? p.GetValue<string>() : null;

            if (pathText is null)
            {
                if (op == "remove") throw Error(ScimType.NoTarget, $"Operations[{i}]: remove needs a path.");
                if (value is not JsonObject attributes) throw Error(ScimType.InvalidSyntax, $"Operations[{i}]: without a path, value must be an object of attributes.");
                foreach (var (key, attribute) in attributes.ToList())
                {
                    if (ReadOnly.Contains(key) || TryPath(key) is not { } keyPath) continue; // unknown or extension schema: ignored
                    ApplyPath(resource, op, keyPath, attribute);
                }
                continue;
            }

            ScimPath path;
            try
            {
                path = ScimFilterParser.ParsePath(pathText);
            }
            catch (ScimFilterException ex)
            {
                throw Error(ScimType.InvalidPath, $"Operations[{i}].path: {ex.Message}");
            }
            if (ReadOnly.Contains(path.Attribute)) throw Error(ScimType.Mutability, $"Operations[{i}]: '{path.Attribute}' is read-only.");
            if (op != "remove" && value is null) throw Error(ScimType.InvalidValue, $"Operations[{i}]: {op} needs a value.");
            ApplyPath(resource, op, path, value);
        }
    }

    private static ScimPath? TryPath(string key)
    {
        try
        {
            return ScimFilterParser.ParsePath(key);
        }
        catch (ScimFilterException)
        {
            return null;
        }
    }

    private static void ApplyPath(JsonObject root, string op, ScimPath path, JsonNode? value)
    {
        // An extension's attribute lives in the object keyed by its URN, created when it is first set.
        var resource = path.Container(root);
        if (resource is null)
        {
            if (op == "remove") return;
            root[path.Schema!] = resource = new JsonObject();
        }
        var key = KeyOf(resource, path.Attribute);
        var current = resource[key];

        if (path.Filter is null && path.SubAttribute is null)
        {
            switch (op)
            {
                case "remove" when current is JsonArray list && value is not null:
                    // Entra: {"op":"Remove","path":"members","value":[{"value":"<id>"}]} removes those members.
                    var gone = Elements(value).Select(ValueOf).Where(v => v is not null).ToHashSet(StringComparer.Ordinal);
                    RemoveWhere(list, e => ValueOf(e) is { } v && gone.Contains(v));
                    break;
                case "remove":
                    resource.Remove(key);
                    break;
                case "add" or "replace" when current is JsonObject complex && value is JsonObject additions:
                    // RFC 7644 3.5.2.1/3.5.2.3: the sub-attributes sent to a complex attribute (or an extension) are set, the others kept.
                    foreach (var (k, v) in additions) complex[KeyOf(complex, k)] = v?.DeepClone();
                    break;
                case "add" when current is JsonArray list:
                    var present = list.Select(ValueOf).Where(v => v is not null).ToHashSet(StringComparer.Ordinal);
                    foreach (var element in Elements(value!))
                        if (ValueOf(element) is not { } v || present.Add(v)) list.Add(element.DeepClone());
                    break;
                default:
                    resource[key] = value?.DeepClone();
                    break;
            }
            return;
        }

        if (path.Filter is null)
        {
            // name.givenName: a sub-attribute of a complex attribute (created when missing).
            var sub = path.SubAttribute!;
            if (current is JsonArray all)
            {
                foreach (var element in all.OfType<JsonObject>()) SetOrRemove(element, sub, op, value);
                return;
            }
            if (current is not JsonObject complex)
            {
                if (op == "remove") return;
                resource[key] = complex = new JsonObject();
            }
            SetOrRemove(complex, sub, op, value);
            return;
        }

        var elements = current as JsonArray;
        var parent = path.Attribute.ToLowerInvariant();
        var matching = elements?.OfType<JsonObject>().Where(e => ScimFilterEvaluator.Matches(e, path.Filter, parent)).ToList() ?? [];
        if (op == "remove")
        {
            if (elements is null) return;
            if (path.SubAttribute is null) RemoveWhere(elements, e => e is JsonObject o && matching.Contains(o));
            else
            {
                foreach (var element in matching) SetOrRemove(element, path.SubAttribute, op, null);
                // An e-mail without its value is no e-mail.
                RemoveWhere(elements, e => e is JsonObject o && matching.Contains(o) && ScimFilterEvaluator.Get(o, "value") is null);
            }
            return;
        }

        if (matching.Count == 0)
        {
            // Entra replaces emails[type eq "work"].value on users that have no work e-mail yet: add one.
            var created = Seed(path.Filter);
            if (path.SubAttribute is null)
            {
                if (value is JsonObject whole) foreach (var (k, v) in whole) created[k] = v?.DeepClone();
            }
            else created[path.SubAttribute] = value?.DeepClone();
            if (elements is null) resource[key] = elements = [];
            elements.Add(created);
            return;
        }
        foreach (var element in matching)
        {
            if (path.SubAttribute is not null) SetOrRemove(element, path.SubAttribute, op, value);
            else if (value is JsonObject whole) foreach (var (k, v) in whole) element[KeyOf(element, k)] = v?.DeepClone();
        }
    }

    /// <summary>An element that satisfies the equality terms of a value filter: <c>type eq "work"</c> seeds <c>{"type":"work"}</c>.</summary>
    private static JsonObject Seed(ScimFilter filter)
    {
        var seed = new JsonObject();
        void Walk(ScimFilter f)
        {
            switch (f)
            {
                case ScimCompare { Operator: "eq", Value: { } v, Path: { Filter: null, SubAttribute: null } p }: seed[p.Attribute] = v.DeepClone(); break;
                case ScimAnd a: Walk(a.Left); Walk(a.Right); break;
            }
        }
        Walk(filter);
        return seed;
    }

    private static void SetOrRemove(JsonObject target, string name, string op, JsonNode? value)
    {
        var key = KeyOf(target, name);
        if (op == "remove") target.Remove(key);
        else target[key] = value?.DeepClone();
    }

    /// <summary>The property's key as the resource spells it, so a patch of "DisplayName" replaces "displayName".</summary>
    private static string KeyOf(JsonObject json, string name) =>
        json.Select(p => p.Key).FirstOrDefault(k => string.Equals(k, name, StringComparison.OrdinalIgnoreCase)) ?? name;

    private static IEnumerable<JsonNode> Elements(JsonNode value) => value is JsonArray array ? array.OfType<JsonNode>() : new[] { value };

    private static string? ValueOf(JsonNode? element) =>
        element is JsonObject o && ScimFilterEvaluator.Get(o, "value") is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : null;

    private static void RemoveWhere(JsonArray array, Func<JsonNode?, bool> remove)
    {
        for (var i = array.Count - 1; i >= 0; i--) if (remove(array[i])) array.RemoveAt(i);
    }

    private static ScimRequestException Error(string scimType, string detail) => new(ScimError.BadRequest(scimType, detail));
}

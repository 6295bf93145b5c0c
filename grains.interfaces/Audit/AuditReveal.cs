using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Taskee.Grains.Interfaces;

namespace Taskee.Grains.Audit;

/// <summary>
/// Turns a stored audit event (personal values sealed, see <see cref="SealedValue"/>) into the event as people read it:
/// each sealed value opened with its person's key, or <see cref="SealedValue.Erased"/> when that key was destroyed.
/// Pure: the keys are given. <see cref="Conceals"/> is the other direction, for the offline verifier: a shown event may
/// differ from its stored form only where the stored form holds a sealed value.
/// </summary>
public static class AuditReveal
{
    private static readonly JsonSerializerOptions Compact = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>True when some field of the event holds a sealed value.</summary>
    public static bool HasSealed(AuditEvent e) => KeyIds(e).Any();

    /// <summary>The key ids the event's sealed values name.</summary>
    public static IEnumerable<string> KeyIds(AuditEvent e) =>
        SealedValue.KeyIdsIn(e.Actor.Id).Concat(SealedValue.KeyIdsIn(e.Target)).Concat(SealedValue.KeyIdsIn(e.Ip))
            .Concat(SealedValue.KeyIdsIn(e.Before)).Concat(SealedValue.KeyIdsIn(e.After)).Distinct(StringComparer.Ordinal);

    /// <param name="keys">The live keys by id; a sealed value whose key is absent shows as erased.</param>
    public static AuditEvent Reveal(AuditEvent stored, IReadOnlyDictionary<string, byte[]> keys)
    {
        if (!HasSealed(stored)) return stored;
        return stored with
        {
            Actor = stored.Actor with { Id = RevealText(stored.Actor.Id, keys) },
            Target = RevealText(stored.Target, keys),
            Ip = stored.Ip is null ? null : RevealText(stored.Ip, keys),
            Before = RevealJson(stored.Before, keys),
            After = RevealJson(stored.After, keys),
        };
    }

    /// <summary>
    /// True when <paramref name="shown"/> is <paramref name="stored"/> with only its sealed values replaced: every field
    /// that is not sealed (and the shape of before/after) is the same. What replaced a sealed value cannot be checked offline.
    /// </summary>
    public static bool Conceals(AuditEvent stored, AuditEvent shown)
    {
        if (stored with { Actor = shown.Actor, Target = shown.Target, Ip = shown.Ip, Before = shown.Before, After = shown.After } != shown) return false;
        if (stored.Actor.Kind != shown.Actor.Kind || !TextMatches(stored.Actor.Id, shown.Actor.Id) || !TextMatches(stored.Target, shown.Target)) return false;
        if (stored.Ip is null != shown.Ip is null || (stored.Ip is not null && !TextMatches(stored.Ip, shown.Ip!))) return false;
        return JsonMatches(stored.Before, shown.Before) && JsonMatches(stored.After, shown.After);
    }

    private static string RevealText(string text, IReadOnlyDictionary<string, byte[]> keys) =>
        text.Contains(SealedValue.Prefix, StringComparison.Ordinal)
            ? SealedValue.Pattern().Replace(text, m => Open(m.Value, m.Groups[1].Value, keys, out var value, out _) ? value : SealedValue.Erased)
            : text;

    private static string? RevealJson(string? json, IReadOnlyDictionary<string, byte[]> keys)
    {
        if (json is null || !json.Contains(SealedValue.Prefix, StringComparison.Ordinal)) return json;
        var revealed = RevealNode(JsonNode.Parse(json), keys);
        return revealed is null ? "null" : revealed.ToJsonString(Compact);
    }

    private static JsonNode? RevealNode(JsonNode? node, IReadOnlyDictionary<string, byte[]> keys) => node switch
    {
        JsonObject o => new JsonObject(o.Select(p => KeyValuePair.Create(p.Key, RevealNode(p.Value, keys)))),
        JsonArray a => new JsonArray(a.Select(item => RevealNode(item, keys)).ToArray()),
        JsonValue v when v.GetValueKind() == JsonValueKind.String => RevealString(v.GetValue<string>(), keys),
        _ => node?.DeepClone(),
    };

    private static JsonNode? RevealString(string text, IReadOnlyDictionary<string, byte[]> keys)
    {
        if (!SealedValue.TryParse(text, out var keyId)) return JsonValue.Create(RevealText(text, keys));
        if (!Open(text, keyId, keys, out var value, out var isJson)) return JsonValue.Create(SealedValue.Erased);
        return isJson ? JsonNode.Parse(value) : JsonValue.Create(value);
    }

    private static bool Open(string token, string keyId, IReadOnlyDictionary<string, byte[]> keys, out string value, out bool isJson)
    {
        value = "";
        isJson = false;
        return keys.TryGetValue(keyId, out var key) && SealedValue.TryOpen(token, key, out value, out isJson);
    }

    private static bool TextMatches(string stored, string shown)
    {
        if (!stored.Contains(SealedValue.Prefix, StringComparison.Ordinal)) return stored == shown;
        var literal = SealedValue.Pattern().Split(stored);
        // Split keeps the two capture groups of each match: literal parts are every third element.
        var pattern = string.Join("(.*)", literal.Where((_, i) => i % 3 == 0).Select(Regex.Escape));
        return Regex.IsMatch(shown, "^" + pattern + "$", RegexOptions.Singleline | RegexOptions.CultureInvariant);
    }

    private static bool JsonMatches(string? stored, string? shown)
    {
        if (stored is null || shown is null) return stored is null && shown is null;
        if (!stored.Contains(SealedValue.Prefix, StringComparison.Ordinal)) return stored == shown;
        try
        {
            using var storedDocument = JsonDocument.Parse(stored);
            using var shownDocument = JsonDocument.Parse(shown);
            return ElementMatches(storedDocument.RootElement, shownDocument.RootElement);
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private static bool ElementMatches(JsonElement stored, JsonElement shown)
    {
        switch (stored.ValueKind)
        {
            case JsonValueKind.String:
                var text = stored.GetString()!;
                if (SealedValue.TryParse(text, out _)) return true; // a sealed value may open to any JSON value
                return shown.ValueKind == JsonValueKind.String && TextMatches(text, shown.GetString()!);
            case JsonValueKind.Object:
                if (shown.ValueKind != JsonValueKind.Object) return false;
                var storedProperties = stored.EnumerateObject().ToList();
                if (storedProperties.Count != shown.EnumerateObject().Count()) return false;
                return storedProperties.All(p => shown.TryGetProperty(p.Name, out var other) && ElementMatches(p.Value, other));
            case JsonValueKind.Array:
                if (shown.ValueKind != JsonValueKind.Array || stored.GetArrayLength() != shown.GetArrayLength()) return false;
                return stored.EnumerateArray().Zip(shown.EnumerateArray()).All(pair => ElementMatches(pair.First, pair.Second));
            case JsonValueKind.Number:
                return shown.ValueKind == JsonValueKind.Number && stored.GetDecimal() == shown.GetDecimal();
            default:
                return stored.ValueKind == shown.ValueKind;
        }
    }
}

using System.Text.Json;

namespace Taskee.Api.Billing.Stripe;

/// <summary>Reading Stripe's JSON: absent and null fields are the same, ids may be strings or expanded objects.</summary>
internal static class StripeJson
{
    public static string? String(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : null;

    public static long? Long(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number
            && value.TryGetInt64(out var number)
            ? number
            : null;

    public static bool Bool(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.True;

    /// <summary>A Unix timestamp field as a time.</summary>
    public static DateTimeOffset? Time(JsonElement element, string name) =>
        Long(element, name) is { } seconds && seconds >= 0 && seconds <= 253_402_300_799 ? DateTimeOffset.FromUnixTimeSeconds(seconds) : null;

    public static JsonElement? Object(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Object
            ? value
            : null;

    /// <summary>A reference to another object: its id as a string, or the <c>id</c> of the object when expanded.</summary>
    public static string? Id(JsonElement element, string name) =>
        String(element, name) ?? (Object(element, name) is { } expanded ? String(expanded, "id") : null);

    /// <summary>Follows nested objects, e.g. <c>Path(invoice, "parent", "subscription_details")</c>.</summary>
    public static JsonElement? Path(JsonElement element, params string[] names)
    {
        JsonElement? current = element;
        foreach (var name in names)
        {
            current = current is { } c ? Object(c, name) : null;
            if (current is null) return null;
        }
        return current;
    }

    /// <summary>The items of a Stripe list (<c>{"object":"list","data":[...]}</c>) or of a plain array.</summary>
    public static IEnumerable<JsonElement> Items(JsonElement element, string name)
    {
        if (element.ValueKind != JsonValueKind.Object || !element.TryGetProperty(name, out var value)) return [];
        if (value.ValueKind == JsonValueKind.Array) return value.EnumerateArray().ToList();
        if (value.ValueKind == JsonValueKind.Object && value.TryGetProperty("data", out var data) && data.ValueKind == JsonValueKind.Array)
            return data.EnumerateArray().ToList();
        return [];
    }

    public static string? Metadata(JsonElement element, string key) =>
        Object(element, "metadata") is { } metadata ? String(metadata, key) : null;
}

using System.Collections.Immutable;
using System.Text.Json;

namespace Taskee.Silo.Storage;

/// <summary>JSON columns: compact, ordinal key order, so the same value is always the same text.</summary>
internal static class StoredJson
{
    public static string Write<T>(T value) => JsonSerializer.Serialize(value);

    public static ImmutableSortedDictionary<string, TValue> ReadMap<TValue>(string json) =>
        (JsonSerializer.Deserialize<Dictionary<string, TValue>>(json) ?? []).ToImmutableSortedDictionary(StringComparer.Ordinal);

    public static T? ReadOrNull<T>(string? json) where T : class => json is null ? null : JsonSerializer.Deserialize<T>(json);

    public static ImmutableSortedSet<string> ReadSet(string json) =>
        (JsonSerializer.Deserialize<string[]>(json) ?? []).ToImmutableSortedSet(StringComparer.Ordinal);
}

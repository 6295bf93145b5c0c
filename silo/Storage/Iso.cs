using System.Globalization;

namespace Taskee.Silo.Storage;

/// <summary>Times as stored: UTC, millisecond precision, fixed width, so text order is time order.</summary>
internal static class Iso
{
    private const string Format = "yyyy-MM-dd'T'HH:mm:ss.fff'Z'";

    public static string ToText(DateTimeOffset value) => value.UtcDateTime.ToString(Format, CultureInfo.InvariantCulture);

    public static string? ToText(DateTimeOffset? value) => value is { } v ? ToText(v) : null;

    public static DateTimeOffset Parse(string text) =>
        DateTimeOffset.ParseExact(text, Format, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal);

    public static DateTimeOffset? ParseOrNull(string? text) => text is null ? null : Parse(text);
}

using System.Globalization;

namespace Taskee.Api.Scim.Filters;

/// <summary>The attribute rules of RFC 7643 that filters need: which are dates and which compare case-exactly.</summary>
public static class ScimAttributes
{
    // RFC 7643: id, externalId and references compare exactly; userName, e-mails, names and displayName do not.
    private static readonly HashSet<string> CaseExact = new(StringComparer.Ordinal)
    {
        "id", "externalid", "meta.version", "meta.location", "members.value", "members.$ref", "groups.value", "groups.$ref", "manager.value",
    };

    private static readonly HashSet<string> Dates = new(StringComparer.Ordinal) { "meta.created", "meta.lastmodified" };

    /// <param name="name">The lower-case dotted name (<see cref="ScimPath.Name"/>), with its parent for sub-attributes of a value filter.</param>
    public static bool IsCaseExact(string name) => CaseExact.Contains(name);

    public static bool IsDate(string name) => Dates.Contains(name);

    public static bool TryParseDate(string text, out DateTimeOffset value) =>
        DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out value);
}

using System.Collections.Immutable;
using System.Text.Json;
using System.Text.Json.Nodes;
using Taskee.Api.Scim.Filters;
using Taskee.Grains.Interfaces.Scim;

namespace Taskee.Api.Scim;

/// <summary>
/// Reads a user or group from its SCIM JSON (a POST or PUT body, or the result of a PATCH). Attribute names are
/// case-insensitive, unknown and read-only attributes are ignored (RFC 7644 3.3, 3.5.1), booleans may come as the
/// strings "True"/"False" (as Microsoft Entra ID sends them); a missing required attribute or a wrong type is an
/// <see cref="ScimType.InvalidValue"/> error that names it.
/// </summary>
public static partial class ScimReader
{
    private const int MaxText = 256;
    private const int MaxEmails = 20;

    public static ScimUser ReadUser(JsonObject json, string orgId, string id)
    {
        var userName = Text(json, "userName", required: true)!;
        var externalId = Text(json, "externalId");
        var displayName = Text(json, "displayName");
        ScimName? name = null;
        if (Get(json, "name") is { } nameNode)
        {
            if (nameNode is not JsonObject names) throw Invalid("name must be an object with givenName, familyName, middleName, formatted, honorificPrefix and honorificSuffix.");
            name = new ScimName(Text(names, "givenName", label: "name.givenName"), Text(names, "familyName", label: "name.familyName"),
                Text(names, "formatted", label: "name.formatted"), Text(names, "middleName", label: "name.middleName"),
                Text(names, "honorificPrefix", label: "name.honorificPrefix"), Text(names, "honorificSuffix", label: "name.honorificSuffix"));
            if (name == new ScimName(null, null, null)) name = null;
        }

        var emails = ImmutableArray.CreateBuilder<ScimEmail>();
        foreach (var node in Many(json, "emails"))
        {
            if (node is not JsonObject email) throw Invalid("emails must be a list of objects with value, type and primary.");
            var value = Text(email, "value", required: true, label: "emails.value")!;
            if (!ScimEmails.LooksLikeEmail(value)) throw Invalid($"emails.value '{value}' is not an e-mail address.");
            emails.Add(new ScimEmail(value, Text(email, "type", label: "emails.type"), Bool(email, "primary", "emails.primary") ?? false));
        }
        if (emails.Count > MaxEmails) throw Invalid($"emails has {emails.Count} entries; at most {MaxEmails} are kept.");
        // One primary at most (RFC 7643 2.4): the first one marked wins.
        var primarySeen = false;
        for (var i = 0; i < emails.Count; i++)
        {
            if (emails[i].Primary && primarySeen) emails[i] = emails[i] with { Primary = false };
            primarySeen |= emails[i].Primary;
        }

        var user = new ScimUser(orgId, id, userName, externalId, name, displayName, emails.ToImmutable(), Bool(json, "active", "active") ?? true,
            ScimRoles.ByPrivilege[^1], 0, default, default, ReadProfile(json)?.ToJsonString());
        if (user.MemberEmail is null)
            throw Invalid("A user needs an e-mail for its member: send emails (with one primary) or a userName that is an e-mail address.");
        return user;
    }

    public static (string DisplayName, string? ExternalId, ImmutableArray<string> Members) ReadGroup(JsonObject json)
    {
        var displayName = Text(json, "displayName", required: true)!;
        var members = ImmutableArray.CreateBuilder<string>();
        foreach (var node in Many(json, "members"))
        {
            if (node is not JsonObject member) throw Invalid("members must be a list of objects with the user's id as value.");
            var value = Text(member, "value", required: true, label: "members.value")!;
            if (!members.Contains(value)) members.Add(value);
        }
        return (displayName, Text(json, "externalId"), members.ToImmutable());
    }

    private static JsonNode? Get(JsonObject json, string name) => ScimFilterEvaluator.Get(json, name);

    /// <summary>A multi-valued attribute's elements; a single object stands for a list of one.</summary>
    private static IEnumerable<JsonNode?> Many(JsonObject json, string name) => Get(json, name) switch
    {
        null => Array.Empty<JsonNode?>(),
        JsonArray array => array,
        JsonObject single => new JsonNode?[] { single },
        _ => throw Invalid($"{name} must be a list."),
    };

    private static string? Text(JsonObject json, string name, bool required = false, string? label = null)
    {
        label ??= name;
        var node = Get(json, name);
        if (node is null || (node is JsonValue v && v.GetValueKind() == JsonValueKind.Null))
            return required ? throw Invalid($"{label} is required.") : null;
        if (node is not JsonValue value || value.GetValueKind() != JsonValueKind.String) throw Invalid($"{label} must be a string.");
        var text = value.GetValue<string>().Trim();
        if (required && text.Length == 0) throw Invalid($"{label} must not be empty.");
        if (text.Length > MaxText) throw Invalid($"{label} is {text.Length} characters long; at most {MaxText} are accepted.");
        return text.Length == 0 ? null : text;
    }

    private static bool? Bool(JsonObject json, string name, string label)
    {
        var node = Get(json, name);
        if (node is null) return null;
        if (node is JsonValue value)
        {
            switch (value.GetValueKind())
            {
                case JsonValueKind.True: return true;
                case JsonValueKind.False: return false;
                case JsonValueKind.Null: return null;
                case JsonValueKind.String when bool.TryParse(value.GetValue<string>().Trim(), out var parsed): return parsed;
            }
        }
        throw Invalid($"{label} must be true or false.");
    }

    private static ScimRequestException Invalid(string detail) => new(ScimError.BadRequest(ScimType.InvalidValue, detail));
}

/// <summary>A request SCIM refuses; the endpoint answers <see cref="Error"/>.</summary>
public sealed class ScimRequestException(ScimError error) : Exception(error.Detail)
{
    public ScimError Error { get; } = error;
}

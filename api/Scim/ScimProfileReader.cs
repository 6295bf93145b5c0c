using System.Text.Json;
using System.Text.Json.Nodes;

namespace Taskee.Api.Scim;

/// <summary>
/// The user attributes the control plane keeps only to return them (RFC 7643 4.1 and the EnterpriseUser extension of
/// 4.3): validated like the others and stored as one JSON object in canonical spelling, so a client reads back what it
/// sent. Sub-attributes outside RFC 7643 are dropped, like unknown attributes.
/// </summary>
public static partial class ScimReader
{
    private const int MaxValues = 20;

    private static readonly string[] SimpleAttributes = ["nickName", "profileUrl", "title", "userType", "preferredLanguage", "locale", "timezone"];

    private static readonly string[] PlainSubAttributes = ["value", "display", "type"];

    // RFC 7643 4.1.2: the multi-valued attributes with value, display, type and primary, and addresses with their parts.
    private static readonly (string Name, string[] SubAttributes)[] MultiValued =
    [
        ("phoneNumbers", PlainSubAttributes),
        ("ims", PlainSubAttributes),
        ("photos", PlainSubAttributes),
        ("addresses", ["formatted", "streetAddress", "locality", "region", "postalCode", "country", "type"]),
        ("entitlements", PlainSubAttributes),
        ("roles", PlainSubAttributes),
    ];

    private static readonly string[] EnterpriseAttributes = ["employeeNumber", "costCenter", "organization", "division", "department"];

    /// <summary>The kept attributes of a user's SCIM JSON; null when it has none.</summary>
    public static JsonObject? ReadProfile(JsonObject json)
    {
        var profile = new JsonObject();
        foreach (var name in SimpleAttributes)
            if (Text(json, name) is { } text) profile[name] = text;

        foreach (var (name, subAttributes) in MultiValued)
        {
            var values = new JsonArray();
            var primarySeen = false;
            foreach (var node in Many(json, name))
            {
                if (node is not JsonObject element) throw Invalid($"{name} must be a list of objects with {string.Join(", ", subAttributes)} and primary.");
                var value = new JsonObject();
                foreach (var sub in subAttributes)
                    if (Text(element, sub, label: $"{name}.{sub}") is { } text) value[sub] = text;
                // One primary at most (RFC 7643 2.4): the first one marked wins.
                if (Bool(element, "primary", $"{name}.primary") is { } primary)
                {
                    value["primary"] = primary && !primarySeen;
                    primarySeen |= primary;
                }
                if (value.Count > 0) values.Add(value);
            }
            if (values.Count > MaxValues) throw Invalid($"{name} has {values.Count} entries; at most {MaxValues} are kept.");
            if (values.Count > 0) profile[name] = values;
        }

        if (ReadEnterprise(json) is { } enterprise) profile[ScimSchemas.EnterpriseUser] = enterprise;
        return profile.Count > 0 ? profile : null;
    }

    private static JsonObject? ReadEnterprise(JsonObject json)
    {
        var node = Get(json, ScimSchemas.EnterpriseUser);
        if (node is null || (node is JsonValue v && v.GetValueKind() == JsonValueKind.Null)) return null;
        if (node is not JsonObject extension)
            throw Invalid($"{ScimSchemas.EnterpriseUser} must be an object with employeeNumber, costCenter, organization, division, department and manager.");

        var enterprise = new JsonObject();
        foreach (var name in EnterpriseAttributes)
            if (Text(extension, name, label: $"{ScimSchemas.EnterpriseUser}:{name}") is { } text) enterprise[name] = text;

        // Entra sets the manager as the manager's id alone ("value":"<id>"), RFC 7643 4.3 as {"value":"<id>"}; an empty
        // value clears it. Its displayName is read-only: rendered from the manager's user, never stored.
        var label = $"{ScimSchemas.EnterpriseUser}:manager";
        var managerId = Get(extension, "manager") switch
        {
            null => null,
            JsonValue id when id.GetValueKind() == JsonValueKind.Null => null,
            JsonValue => Text(extension, "manager", label: label),
            JsonObject manager => Text(manager, "value", label: label + ".value"),
            _ => throw Invalid($"{label} must be the manager's id or an object with the id as value."),
        };
        if (managerId is not null) enterprise["manager"] = new JsonObject { ["value"] = managerId };
        return enterprise.Count > 0 ? enterprise : null;
    }
}

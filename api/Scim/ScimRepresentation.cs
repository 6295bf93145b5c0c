using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Taskee.Grains.Interfaces.Scim;
using Taskee.Grains.Storage;

namespace Taskee.Api.Scim;

/// <summary>Users and groups in their SCIM JSON form: what clients read, what filters are evaluated on, what PATCH edits.</summary>
public static class ScimRepresentation
{
    /// <summary>The absolute base of this request's SCIM service, for meta.location and $ref.</summary>
    public static string BaseUrl(HttpRequest request) => $"{request.Scheme}://{request.Host}{request.PathBase}{ScimEndpoints.BasePath}";

    /// <summary>A weak ETag (RFC 7644 3.14): the version counts changes, the representation may differ (groups).</summary>
    public static string ETag(long version) => $"W/\"{version.ToString(CultureInfo.InvariantCulture)}\"";

    /// <param name="findUser">The organisation's user by id, for the display name of an EnterpriseUser manager.</param>
    public static JsonObject User(ScimUser user, IEnumerable<ScimMembership> groups, string baseUrl, Func<string, ScimUser?>? findUser = null)
    {
        var profile = user.Profile is null ? new JsonObject() : (JsonObject)JsonNode.Parse(user.Profile)!;
        var enterprise = profile[ScimSchemas.EnterpriseUser] as JsonObject;
        profile.Remove(ScimSchemas.EnterpriseUser);
        var json = new JsonObject
        {
            ["schemas"] = enterprise is null ? new JsonArray(ScimSchemas.User) : new JsonArray(ScimSchemas.User, ScimSchemas.EnterpriseUser),
            ["id"] = user.Id,
        };
        if (user.ExternalId is not null) json["externalId"] = user.ExternalId;
        json["userName"] = user.UserName;
        if (user.Name is { } name)
        {
            var names = new JsonObject();
            if (name.GivenName is not null) names["givenName"] = name.GivenName;
            if (name.FamilyName is not null) names["familyName"] = name.FamilyName;
            if (name.Formatted is not null) names["formatted"] = name.Formatted;
            if (name.MiddleName is not null) names["middleName"] = name.MiddleName;
            if (name.HonorificPrefix is not null) names["honorificPrefix"] = name.HonorificPrefix;
            if (name.HonorificSuffix is not null) names["honorificSuffix"] = name.HonorificSuffix;
            json["name"] = names;
        }
        if (user.DisplayName is not null) json["displayName"] = user.DisplayName;
        if (user.Emails.Length > 0)
        {
            json["emails"] = new JsonArray(user.Emails.Select(e =>
            {
                var email = new JsonObject { ["value"] = e.Value };
                if (e.Type is not null) email["type"] = e.Type;
                email["primary"] = e.Primary;
                return (JsonNode)email;
            }).ToArray());
        }
        foreach (var (key, value) in profile.ToList())
        {
            profile.Remove(key);
            json[key] = value;
        }
        json["active"] = user.Active;
        json["groups"] = new JsonArray(groups.Select(g => (JsonNode)new JsonObject
        {
            ["value"] = g.GroupId,
            ["$ref"] = $"{baseUrl}/Groups/{g.GroupId}",
            ["display"] = g.GroupName,
            ["type"] = "direct",
        }).ToArray());
        if (enterprise is not null)
        {
            if (enterprise["manager"] is JsonObject manager && manager["value"]?.GetValue<string>() is { } managerId)
            {
                manager["$ref"] = $"{baseUrl}/Users/{managerId}";
                if (findUser?.Invoke(managerId) is { } boss) manager["displayName"] = boss.DisplayName ?? boss.UserName;
            }
            json[ScimSchemas.EnterpriseUser] = enterprise;
        }
        json["meta"] = Meta("User", user.Created, user.LastModified, user.Version, $"{baseUrl}/Users/{user.Id}");
        return json;
    }

    /// <summary>The id of the user's EnterpriseUser manager, when it has one.</summary>
    public static string? ManagerId(JsonObject user) =>
        user[ScimSchemas.EnterpriseUser]?["manager"]?["value"]?.GetValue<string>();

    /// <param name="users">The organisation's users by id, for each member's display.</param>
    public static JsonObject Group(ScimGroup group, IReadOnlyDictionary<string, ScimUser> users, string baseUrl)
    {
        var json = new JsonObject
        {
            ["schemas"] = new JsonArray(ScimSchemas.Group),
            ["id"] = group.Id,
        };
        if (group.ExternalId is not null) json["externalId"] = group.ExternalId;
        json["displayName"] = group.DisplayName;
        json["members"] = new JsonArray(group.Members.Select(id =>
        {
            var member = new JsonObject { ["value"] = id, ["$ref"] = $"{baseUrl}/Users/{id}", ["type"] = "User" };
            if (users.TryGetValue(id, out var user)) member["display"] = user.DisplayName ?? user.UserName;
            return (JsonNode)member;
        }).ToArray());
        json["meta"] = Meta("Group", group.Created, group.LastModified, group.Version, $"{baseUrl}/Groups/{group.Id}");
        return json;
    }

    private static JsonObject Meta(string resourceType, DateTimeOffset created, DateTimeOffset lastModified, long version, string location) => new()
    {
        ["resourceType"] = resourceType,
        ["created"] = Time(created),
        ["lastModified"] = Time(lastModified),
        ["version"] = ETag(version),
        ["location"] = location,
    };

    private static string Time(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    public static JsonObject List(IReadOnlyList<JsonNode> page, int totalResults, int startIndex) => new()
    {
        ["schemas"] = new JsonArray(ScimSchemas.ListResponse),
        ["totalResults"] = totalResults,
        ["itemsPerPage"] = page.Count,
        ["startIndex"] = startIndex,
        ["Resources"] = new JsonArray(page.Select(r => r.DeepClone()).ToArray()),
    };
}

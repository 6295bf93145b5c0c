using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Taskee.Api.Auth;

namespace Taskee.Api.Scim;

/// <summary>RFC 7644 section 4: what this service provider supports, its resource types and their schemas.</summary>
public static class ScimDiscovery
{
    public static void MapScimDiscovery(this RouteGroupBuilder scim)
    {
        scim.MapGet("/ServiceProviderConfig", (HttpContext http) => Answer(ServiceProviderConfig(ScimContext.Of(http).BaseUrl)))
            .RequireAuthorization(Permissions.ScimRead).WithName("ScimServiceProviderConfig");
        scim.MapGet("/ResourceTypes", (HttpContext http) => ListOf(ResourceTypes(ScimContext.Of(http).BaseUrl)))
            .RequireAuthorization(Permissions.ScimRead).WithName("ScimResourceTypes");
        scim.MapGet("/ResourceTypes/{id}", (string id, HttpContext http) => One(ResourceTypes(ScimContext.Of(http).BaseUrl), id, "ResourceType"))
            .RequireAuthorization(Permissions.ScimRead).WithName("ScimResourceType");
        scim.MapGet("/Schemas", (HttpContext http) => ListOf(Schemas(ScimContext.Of(http).BaseUrl)))
            .RequireAuthorization(Permissions.ScimRead).WithName("ScimSchemas");
        scim.MapGet("/Schemas/{id}", (string id, HttpContext http) => One(Schemas(ScimContext.Of(http).BaseUrl), id, "Schema"))
            .RequireAuthorization(Permissions.ScimRead).WithName("ScimSchema");
    }

    private static IResult Answer(JsonObject body) => new ScimResult(StatusCodes.Status200OK, body);

    private static IResult ListOf(IReadOnlyList<JsonObject> items) => Answer(ScimRepresentation.List(items, items.Count, 1));

    private static IResult One(IReadOnlyList<JsonObject> items, string id, string what) =>
        items.FirstOrDefault(i => string.Equals(i["id"]!.GetValue<string>(), id, StringComparison.OrdinalIgnoreCase)) is { } item
            ? Answer(item)
            : new ScimError(StatusCodes.Status404NotFound, $"There is no {what} '{id}'; list them at /scim/v2/{what}s.");

    public static JsonObject ServiceProviderConfig(string baseUrl) => new()
    {
        ["schemas"] = new JsonArray(ScimSchemas.ServiceProviderConfig),
        ["documentationUri"] = "https://github.com/taskee/control-plane/blob/main/docs/identity.md#scim-provisioning",
        ["patch"] = new JsonObject { ["supported"] = true },
        ["bulk"] = new JsonObject { ["supported"] = false, ["maxOperations"] = 0, ["maxPayloadSize"] = 0 },
        ["filter"] = new JsonObject { ["supported"] = true, ["maxResults"] = ScimSchemas.MaxResults },
        ["changePassword"] = new JsonObject { ["supported"] = false },
        ["sort"] = new JsonObject { ["supported"] = false },
        ["etag"] = new JsonObject { ["supported"] = true },
        ["authenticationSchemes"] = new JsonArray(new JsonObject
        {
            ["type"] = "oauthbearertoken",
            ["name"] = "OAuth Bearer Token",
            ["description"] = "An API key of the organisation with scope 'scim', sent as 'Authorization: Bearer tk_...'.",
            ["primary"] = true,
        }),
        ["meta"] = new JsonObject { ["resourceType"] = "ServiceProviderConfig", ["location"] = $"{baseUrl}/ServiceProviderConfig" },
    };

    private static IReadOnlyList<JsonObject> ResourceTypes(string baseUrl) =>
    [
        ResourceType("User", "/Users", ScimSchemas.User, baseUrl),
        ResourceType("Group", "/Groups", ScimSchemas.Group, baseUrl),
    ];

    private static JsonObject ResourceType(string name, string endpoint, string schema, string baseUrl) => new()
    {
        ["schemas"] = new JsonArray(ScimSchemas.ResourceType),
        ["id"] = name,
        ["name"] = name,
        ["endpoint"] = endpoint,
        ["description"] = name == "User" ? "A person of the organisation: an active user holds a seat." : "A group of users; a mapped group grants its members a role.",
        ["schema"] = schema,
        // RFC 7643 6: users may carry the EnterpriseUser extension; it is optional.
        ["schemaExtensions"] = name == "User"
            ? new JsonArray(new JsonObject { ["schema"] = ScimSchemas.EnterpriseUser, ["required"] = false })
            : new JsonArray(),
        ["meta"] = new JsonObject { ["resourceType"] = "ResourceType", ["location"] = $"{baseUrl}/ResourceTypes/{name}" },
    };

    private static JsonObject[] Plain(bool address = false) => address
        ?
        [
            Attribute("formatted", "string"), Attribute("streetAddress", "string"), Attribute("locality", "string"), Attribute("region", "string"),
            Attribute("postalCode", "string"), Attribute("country", "string"), Attribute("type", "string"), Attribute("primary", "boolean"),
        ]
        : [Attribute("value", "string"), Attribute("display", "string"), Attribute("type", "string"), Attribute("primary", "boolean")];

    private static IReadOnlyList<JsonObject> Schemas(string baseUrl) =>
    [
        Schema(ScimSchemas.User, "User", "User Account", baseUrl,
        [
            Attribute("userName", "string", required: true, uniqueness: "server"),
            Complex("name",
            [
                Attribute("formatted", "string"), Attribute("familyName", "string"), Attribute("givenName", "string"), Attribute("middleName", "string"),
                Attribute("honorificPrefix", "string"), Attribute("honorificSuffix", "string"),
            ]),
            Attribute("displayName", "string"),
            Attribute("nickName", "string"),
            Reference("profileUrl", "external"),
            Attribute("title", "string"),
            Attribute("userType", "string"),
            Attribute("preferredLanguage", "string"),
            Attribute("locale", "string"),
            Attribute("timezone", "string"),
            Complex("emails", [Attribute("value", "string"), Attribute("type", "string"), Attribute("primary", "boolean")], multiValued: true),
            Complex("phoneNumbers", Plain(), multiValued: true),
            Complex("ims", Plain(), multiValued: true),
            Complex("photos", Plain(), multiValued: true),
            Complex("addresses", Plain(address: true), multiValued: true),
            Complex("entitlements", Plain(), multiValued: true),
            Complex("roles", Plain(), multiValued: true),
            Attribute("active", "boolean"),
            Attribute("externalId", "string", caseExact: true),
            Complex("groups", [Attribute("value", "string", mutability: "readOnly", caseExact: true), Attribute("display", "string", mutability: "readOnly")],
                multiValued: true, mutability: "readOnly"),
        ]),
        Schema(ScimSchemas.EnterpriseUser, "EnterpriseUser", "Enterprise User", baseUrl,
        [
            Attribute("employeeNumber", "string"),
            Attribute("costCenter", "string"),
            Attribute("organization", "string"),
            Attribute("division", "string"),
            Attribute("department", "string"),
            Complex("manager",
            [
                Attribute("value", "string", caseExact: true),
                Reference("$ref", "User", mutability: "readOnly"),
                Attribute("displayName", "string", mutability: "readOnly"),
            ]),
        ]),
        Schema(ScimSchemas.Group, "Group", "Group", baseUrl,
        [
            Attribute("displayName", "string", required: true),
            Attribute("externalId", "string", caseExact: true),
            Complex("members", [Attribute("value", "string", mutability: "immutable", caseExact: true), Attribute("display", "string", mutability: "readOnly")],
                multiValued: true),
        ]),
    ];

    private static JsonObject Schema(string id, string name, string description, string baseUrl, JsonObject[] attributes) => new()
    {
        ["schemas"] = new JsonArray(ScimSchemas.Schema),
        ["id"] = id,
        ["name"] = name,
        ["description"] = description,
        ["attributes"] = new JsonArray(attributes.Select(a => (JsonNode)a).ToArray()),
        ["meta"] = new JsonObject { ["resourceType"] = "Schema", ["location"] = $"{baseUrl}/Schemas/{id}" },
    };

    private static JsonObject Attribute(string name, string type, bool required = false, string mutability = "readWrite", string uniqueness = "none", bool caseExact = false) => new()
    {
        ["name"] = name,
        ["type"] = type,
        ["multiValued"] = false,
        ["required"] = required,
        ["caseExact"] = caseExact,
        ["mutability"] = mutability,
        ["returned"] = "default",
        ["uniqueness"] = uniqueness,
    };

    private static JsonObject Reference(string name, string referenceType, string mutability = "readWrite")
    {
        var reference = Attribute(name, "reference", mutability: mutability, caseExact: true);
        reference["referenceTypes"] = new JsonArray(referenceType);
        return reference;
    }

    private static JsonObject Complex(string name, JsonObject[] subAttributes, bool multiValued = false, string mutability = "readWrite")
    {
        var complex = Attribute(name, "complex", mutability: mutability);
        complex["multiValued"] = multiValued;
        complex["subAttributes"] = new JsonArray(subAttributes.Select(a => (JsonNode)a).ToArray());
        return complex;
    }
}

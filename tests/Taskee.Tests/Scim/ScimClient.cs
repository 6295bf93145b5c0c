using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Taskee.Tests.Infrastructure;

namespace Taskee.Tests.Scim;

/// <summary>A SCIM client of one organisation, as an identity provider would call /scim/v2 with its scim key.</summary>
public sealed class ScimClient(HttpClient http, string orgId, string keyId)
{
    public const string MediaType = "application/scim+json";

    public string OrgId => orgId;
    public HttpClient Http => http;

    /// <summary>The id of the scim key: what audit events name as the actor.</summary>
    public string KeyId => keyId;

    /// <summary>A fresh enterprise organisation (feature scim) and a client with a key of scope scim.</summary>
    public static async Task<ScimClient> CreateAsync(TaskeeNode node, string plan = "enterprise")
    {
        var admin = node.Admin();
        var orgId = TestApi.NewOrgId("scim");
        await admin.CreateOrganisationAsync(orgId, plan);
        var key = await admin.CreateKeyAsync(orgId, "scim");
        return new ScimClient(node.Client(key), orgId, key.Split('_')[1]);
    }

    public static StringContent Body(string json) => new(json, Encoding.UTF8, MediaType);

    public Task<HttpResponseMessage> SendAsync(string method, string path, string? json = null, string? ifMatch = null)
    {
        var request = new HttpRequestMessage(new HttpMethod(method), "/scim/v2" + path);
        if (json is not null) request.Content = Body(json);
        if (ifMatch is not null) request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
        return http.SendAsync(request);
    }

    public async Task<JsonNode> ExpectAsync(HttpResponseMessage response, HttpStatusCode status)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"expected {(int)status}, got {(int)response.StatusCode}: {text}");
        Assert.Equal(MediaType, response.Content.Headers.ContentType?.MediaType);
        return JsonNode.Parse(text)!;
    }

    public async Task<JsonNode> CreateUserAsync(string userName, bool active = true, string? email = null)
    {
        var json = new JsonObject
        {
            ["schemas"] = new JsonArray("urn:ietf:params:scim:schemas:core:2.0:User"),
            ["userName"] = userName,
            ["name"] = new JsonObject { ["givenName"] = "Given", ["familyName"] = "Family" },
            ["emails"] = new JsonArray(new JsonObject { ["value"] = email ?? userName, ["type"] = "work", ["primary"] = true }),
            ["active"] = active,
        };
        return await ExpectAsync(await SendAsync("POST", "/Users", json.ToJsonString()), HttpStatusCode.Created);
    }

    public async Task<JsonNode> CreateGroupAsync(string displayName, params string[] memberIds)
    {
        var json = new JsonObject
        {
            ["schemas"] = new JsonArray("urn:ietf:params:scim:schemas:core:2.0:Group"),
            ["displayName"] = displayName,
            ["members"] = new JsonArray(memberIds.Select(id => (JsonNode)new JsonObject { ["value"] = id }).ToArray()),
        };
        return await ExpectAsync(await SendAsync("POST", "/Groups", json.ToJsonString()), HttpStatusCode.Created);
    }

    public async Task<JsonNode> GetAsync(string path) => await ExpectAsync(await SendAsync("GET", path), HttpStatusCode.OK);

    /// <summary>Asserts the RFC 7644 error schema: status as a string, scimType when given, a detail.</summary>
    public static async Task<JsonNode> AssertErrorAsync(HttpResponseMessage response, HttpStatusCode status, string? scimType = null)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"expected {(int)status}, got {(int)response.StatusCode}: {text}");
        Assert.Equal(MediaType, response.Content.Headers.ContentType?.MediaType);
        var error = JsonNode.Parse(text)!;
        Assert.Equal("urn:ietf:params:scim:api:messages:2.0:Error", error["schemas"]![0]!.GetValue<string>());
        Assert.Equal(((int)status).ToString(), error["status"]!.GetValue<string>());
        Assert.False(string.IsNullOrWhiteSpace(error["detail"]?.GetValue<string>()));
        if (scimType is not null) Assert.Equal(scimType, error["scimType"]?.GetValue<string>());
        return error;
    }
}

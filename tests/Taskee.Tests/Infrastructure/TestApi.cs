using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Taskee.Tests.Infrastructure;

/// <summary>Small helpers for calling the API as a client would.</summary>
public static class TestApi
{
    public static string NewOrgId(string prefix = "org") => $"{prefix}-{Guid.NewGuid().ToString("N")[..12]}";

    public static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    public static StringContent Json(object value) => Json(JsonSerializer.Serialize(value, JsonSerializerOptions.Web));

    public static async Task<JsonNode> CreateOrganisationAsync(this HttpClient admin, string orgId, string plan = "pro")
    {
        var response = await admin.PostAsync("/v1/organisations", Json(new { id = orgId, name = $"Org {orgId}", plan }));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonNode>())!;
    }

    /// <summary>Creates an organisation key with the given scopes; returns the secret token.</summary>
    public static async Task<string> CreateKeyAsync(this HttpClient admin, string orgId, params string[] scopes)
    {
        var response = await admin.PostAsync($"/v1/organisations/{orgId}/api-keys", Json(new { name = "test key", scopes }));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonNode>())!["key"]!.GetValue<string>();
    }

    public static async Task<JsonNode> ReadJsonAsync(this HttpResponseMessage response) =>
        (await response.Content.ReadFromJsonAsync<JsonNode>())!;

    public static async Task<JsonNode> GetJsonAsync(this HttpClient client, string path)
    {
        var response = await client.GetAsync(path);
        Assert.True(response.IsSuccessStatusCode, $"GET {path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return await response.ReadJsonAsync();
    }

    /// <summary>Asserts an RFC 9457 problem with the status, and returns it.</summary>
    public static async Task<JsonNode> AssertProblemAsync(this HttpResponseMessage response, HttpStatusCode status)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(status == response.StatusCode, $"expected {(int)status}, got {(int)response.StatusCode}: {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonNode.Parse(body)!;
        Assert.Equal((int)status, problem["status"]!.GetValue<int>());
        Assert.False(string.IsNullOrWhiteSpace(problem["title"]?.GetValue<string>()));
        return problem;
    }

    /// <summary>Calls a usage operation and returns the decision (asserting a 200).</summary>
    public static async Task<JsonNode> UsageAsync(this HttpClient client, string orgId, string metric, string op, long amount, string? idempotencyKey = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, $"/v1/organisations/{orgId}/usage/{metric}/{op}") { Content = Json(new { amount }) };
        if (idempotencyKey is not null) request.Headers.Add("Idempotency-Key", idempotencyKey);
        var response = await client.SendAsync(request);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{op} {metric}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return await response.ReadJsonAsync();
    }

    public static async Task SetLimitAsync(this HttpClient admin, string orgId, string metric, long limit)
    {
        var response = await admin.PutAsync($"/v1/organisations/{orgId}/limits/{metric}", Json(new { limit }));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    /// <summary>Every audit event of an organisation, oldest first.</summary>
    public static async Task<List<JsonNode>> AuditEventsAsync(this HttpClient admin, string orgId)
    {
        var events = new List<JsonNode>();
        string? after = null;
        do
        {
            var page = await admin.GetJsonAsync($"/v1/organisations/{orgId}/audit?limit=1000" + (after is null ? "" : $"&after={after}"));
            events.AddRange(page["items"]!.AsArray().Select(e => e!));
            after = page["next"]?.GetValue<string>();
        } while (after is not null);
        return events;
    }
}

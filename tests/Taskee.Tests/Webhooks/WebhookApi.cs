using System.Net;
using System.Text.Json.Nodes;
using Taskee.Tests.Infrastructure;

namespace Taskee.Tests.Webhooks;

/// <summary>Calls of the webhook management API as a client makes them.</summary>
public static class WebhookApi
{
    /// <summary>A public address no test ever connects to: the management API checks addresses, it does not deliver.</summary>
    public const string PublicUrl = "https://93.184.215.14/taskee-hooks";

    public static string Webhooks(string orgId) => $"/v1/organisations/{orgId}/webhooks";

    /// <summary>Creates an endpoint (asserting 201) and returns the answer, secret included.</summary>
    public static async Task<JsonNode> CreateWebhookAsync(this HttpClient client, string orgId, object? body = null)
    {
        var response = await client.PostAsync(Webhooks(orgId), TestApi.Json(body ?? new { url = PublicUrl, events = new[] { "org.*" } }));
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"create: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return await response.ReadJsonAsync();
    }

    public static string Id(this JsonNode endpoint) => endpoint["id"]!.GetValue<string>();
}

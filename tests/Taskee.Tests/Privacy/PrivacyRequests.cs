using System.Net;
using System.Text.Json.Nodes;
using Taskee.Tests.Infrastructure;
using Taskee.Tests.Webhooks;

namespace Taskee.Tests.Privacy;

/// <summary>Filing and following data-subject requests over HTTP.</summary>
public static class PrivacyRequests
{
    public static string Path(string orgId) => $"/v1/organisations/{orgId}/privacy/requests";

    public static Task<HttpResponseMessage> FileAsync(this HttpClient client, string orgId, object body) =>
        client.PostAsync(Path(orgId), TestApi.Json(body));

    /// <summary>Files a request, expects 202 pending, and waits until the job completed it.</summary>
    public static async Task<JsonNode> FileAndCompleteAsync(this HttpClient client, string orgId, string kind, object subject)
    {
        var response = await client.FileAsync(orgId, new { kind, subject });
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var accepted = await response.ReadJsonAsync();
        Assert.Equal("pending", accepted["status"]!.GetValue<string>());
        var id = accepted["id"]!.GetValue<string>();
        Assert.EndsWith($"{Path(orgId)}/{id}", response.Headers.Location!.ToString());
        JsonNode? request = null;
        await TestWebhooks.EventuallyAsync(async () =>
            (request = await client.GetJsonAsync($"{Path(orgId)}/{id}"))["status"]!.GetValue<string>() is "completed" or "failed", $"request {id} done", 30);
        Assert.Equal("completed", request!["status"]!.GetValue<string>());
        return request;
    }
}

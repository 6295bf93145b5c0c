using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Taskee.Tests.Infrastructure;

namespace Taskee.Tests.Sales;

/// <summary>Intake bodies as the form sends them, and posting them with a fresh form token, as the page does.</summary>
public static class LeadForms
{
    /// <summary>A prospect that qualifies: 40 users (2 points), NEN 7510 (1) and SSO (1).</summary>
    public static JsonObject Qualified(string organisation = "Zorggroep De Linde") => new()
    {
        ["organisationName"] = organisation,
        ["sector"] = "zorg",
        ["users"] = 40,
        ["compliance"] = new JsonArray("nen7510"),
        ["tooling"] = new JsonArray("microsoft-365"),
        ["needsSso"] = true,
        ["needsScim"] = false,
        ["needsSla"] = false,
        ["integrations"] = "Nedap ONS",
        ["privateHosting"] = false,
        ["contact"] = new JsonObject { ["name"] = "Anna de Vries", ["email"] = "anna@delinde.example.nl", ["phone"] = "+31 6 1234 5678" },
        ["consent"] = true,
    };

    /// <summary>A small team with no enterprise need: stored, not qualified.</summary>
    public static JsonObject Unqualified() => Change(Qualified("Bakkerij Jansen"), b =>
    {
        b["users"] = 8;
        b["compliance"] = new JsonArray();
        b["needsSso"] = false;
    });

    public static JsonObject Change(JsonObject body, Action<JsonObject> change)
    {
        change(body);
        return body;
    }

    public static async Task<string> FormTokenAsync(HttpClient client) =>
        (await client.GetJsonAsync("/v1/leads/form"))["formToken"]!.GetValue<string>();

    /// <summary>Posts the body with a fresh form token (unless it has one).</summary>
    public static async Task<HttpResponseMessage> SendAsync(HttpClient client, JsonObject body)
    {
        if (!body.ContainsKey("formToken")) body["formToken"] = await FormTokenAsync(client);
        return await client.PostAsync("/v1/leads", TestApi.Json(body.ToJsonString()));
    }

    /// <summary>Posts a lead that must be accepted; returns its id.</summary>
    public static async Task<string> CreateAsync(HttpClient client, JsonObject body)
    {
        var response = await SendAsync(client, body);
        Assert.True(response.StatusCode == System.Net.HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<JsonNode>())!["id"]!.GetValue<string>();
    }
}

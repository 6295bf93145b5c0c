using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Taskee.Tests.Infrastructure;

namespace Taskee.Tests.Sales;

/// <summary>
/// A sales node on a fresh database whose clock the tests move forward (quote validity, the 14-day onboarding target).
/// Tests only move it forward and measure from "now", so their order does not matter.
/// </summary>
public sealed class OnboardingNodeFixture : IAsyncLifetime
{
    private TestDatabase? _database;

    public ManualClock Clock { get; } = new(DateTimeOffset.UtcNow);

    public TaskeeNode Node { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        _database = await TestDatabase.CreateAsync();
        Node = await new TaskeeNode(_database, new Dictionary<string, string?>
        {
            ["Leads:MinimumFillTime"] = "00:00:00",
            ["Leads:PerIpPerHour"] = "10000",
        }, Clock).StartAsync();
    }

    public void Advance(TimeSpan by) => Clock.Set(Clock.GetUtcNow() + by);

    public async Task DisposeAsync()
    {
        await Node.DisposeAsync();
        if (_database is not null) await _database.DisposeAsync();
    }
}

/// <summary>Leads with quotes, and deciding them, as sales does through the API.</summary>
public static class WonQuotes
{
    /// <summary>A new lead for a unique organisation name and a quote for it; returns the lead id and the quote.</summary>
    public static async Task<(string LeadId, JsonNode Quote)> QuoteAsync(HttpClient admin, HttpClient anonymous, string[] addOns,
        int validDays = 30, string slaTier = "business")
    {
        var name = $"Zorggroep {Guid.NewGuid().ToString("N")[..10]}";
        var leadId = await LeadForms.CreateAsync(anonymous, LeadForms.Qualified(name));
        var response = await admin.PostAsync("/v1/quotes", TestApi.Json(new
        {
            leadId, plan = "enterprise", seats = 60, aiCalls = 30_000, storageGb = 300, addOns, slaTier, termYears = 2, validDays,
        }));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (leadId, await response.ReadJsonAsync());
    }

    public static Task<HttpResponseMessage> DecideAsync(HttpClient client, string quoteId, object body, string? ifMatch = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Patch, $"/v1/quotes/{quoteId}") { Content = TestApi.Json(body) };
        if (ifMatch is not null) request.Headers.IfMatch.Add(new EntityTagHeaderValue(ifMatch));
        return client.SendAsync(request);
    }

    /// <summary>Marks the quote won (asserting a 200); returns the new organisation's id.</summary>
    public static async Task<string> WinAsync(HttpClient admin, string quoteId)
    {
        var response = await DecideAsync(admin, quoteId, new { status = "won" });
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        return (await response.ReadJsonAsync())["organisationId"]!.GetValue<string>();
    }
}

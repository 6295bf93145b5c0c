using System.Text.Json.Nodes;
using Taskee.Tests.Infrastructure;

namespace Taskee.Tests.Sales;

/// <summary>
/// A node on a fresh database whose intake accepts a form at once and many per address (the tests of the limits
/// themselves run on a node of their own: <see cref="LeadAbuseLimitTests"/>).
/// </summary>
public sealed class SalesNodeFixture : IAsyncLifetime
{
    private TestDatabase? _database;

    public TaskeeNode Node { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        _database = await TestDatabase.CreateAsync();
        Node = await new TaskeeNode(_database, new Dictionary<string, string?>
        {
            ["Leads:MinimumFillTime"] = "00:00:00",
            ["Leads:PerIpPerHour"] = "10000",
        }).StartAsync();
    }

    public async Task DisposeAsync()
    {
        await Node.DisposeAsync();
        if (_database is not null) await _database.DisposeAsync();
    }
}

public static class PlatformAudit
{
    /// <summary>The platform chain's events about one target, oldest first.</summary>
    public static async Task<List<JsonNode>> EventsAboutAsync(HttpClient admin, string target)
    {
        var events = new List<JsonNode>();
        string? after = null;
        do
        {
            var page = await admin.GetJsonAsync("/v1/audit?limit=1000" + (after is null ? "" : $"&after={after}"));
            events.AddRange(page["items"]!.AsArray().Select(e => e!).Where(e => e["target"]!.GetValue<string>() == target));
            after = page["next"]?.GetValue<string>();
        } while (after is not null);
        return events;
    }
}

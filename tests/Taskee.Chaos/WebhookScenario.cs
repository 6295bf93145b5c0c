using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace Taskee.Chaos;

/// <summary>
/// Outgoing webhooks through silo failures: each of two silos is killed (kill -9) in turn while a delivery is in flight,
/// so one kill hits the silo whose grain owns the endpoint's queue. Afterwards the receiver has every selected event of
/// the audit log, first arrivals in log order, no gaps; every repeat is a retry with the same webhook-id and body.
/// </summary>
public static class WebhookScenario
{
    private const int Events = 24;

    public static async Task KillMidDeliveryAsync(string server, Checks checks)
    {
        await using var cluster = await ChaosCluster.StartAsync(server, 2, "webhooks", new Dictionary<string, string>
        {
            ["Webhooks:AllowInsecureUrls"] = "true",
            ["Webhooks:AllowPrivateTargets"] = "true",
            ["Webhooks:Timeout"] = "00:00:05",
            ["Webhooks:SweepInterval"] = "00:00:01",
        });
        using var receiver = new WebhookReceiver(TimeSpan.FromMilliseconds(300));
        var orgId = "webhooks-" + Guid.NewGuid().ToString("N")[..8];
        await cluster.CreateOrganisationAsync(orgId, 1_000);
        string webhookId;
        using (var client = cluster.Client(0))
        {
            var created = await client.PostAsJsonAsync($"/v1/organisations/{orgId}/webhooks", new { url = receiver.Url, events = new[] { "org.limit.set" } });
            created.EnsureSuccessStatusCode();
            var endpoint = (await created.Content.ReadFromJsonAsync<JsonNode>())!;
            webhookId = endpoint["id"]!.GetValue<string>();
            receiver.Trust(endpoint["secret"]!.GetValue<string>());
            for (var i = 1; i <= Events; i++)
                (await client.PutAsJsonAsync($"/v1/organisations/{orgId}/limits/ai_calls", new { limit = 1_000 + i })).EnsureSuccessStatusCode();
        }

        var killedInFlight = 0;
        for (var victim = 1; victim >= 0; victim--)
        {
            var progress = receiver.Received.Count;
            var deadline = Stopwatch.StartNew();
            while (deadline.Elapsed < TimeSpan.FromSeconds(60) && !(receiver.InFlight > 0 && receiver.Received.Count > progress)) await Task.Delay(10);
            if (receiver.InFlight > 0) killedInFlight++;
            await cluster.Nodes[victim].KillAsync();
            await cluster.Nodes[victim].StartAsync();
        }
        checks.That(killedInFlight == 2, $"webhooks: both silos were killed while a delivery was in flight ({killedInFlight} of 2)");

        using var reader = cluster.Client(0);
        var audit = await AuditIdsAsync(reader, orgId);
        var expected = audit.Select(id => "msg_" + id).ToList();
        var done = Stopwatch.StartNew();
        while (done.Elapsed < TimeSpan.FromSeconds(90) && receiver.Received.Select(r => r.Id).Distinct().Count() < expected.Count) await Task.Delay(100);

        var received = receiver.Received;
        var firstArrivals = received.Select(r => r.Id).Distinct().ToList();
        var repeats = received.Count - firstArrivals.Count;
        var sameBodies = received.GroupBy(r => r.Id).All(g => g.Select(r => r.Body).Distinct().Count() == 1);
        checks.That(expected.Count == Events, $"webhooks: the audit log holds the {Events} limit changes made after subscribing ({expected.Count})");
        checks.That(firstArrivals.SequenceEqual(expected),
            $"webhooks: every event arrived, first arrivals in log order, no gaps ({firstArrivals.Count} distinct of {expected.Count}, endpoint {webhookId})");
        checks.That(repeats >= 1 && sameBodies,
            $"webhooks: repeats are retries of the same webhook-id with the same body ({repeats} repeats, same bodies: {sameBodies})");
        checks.That(received.All(r => r.Verified), $"webhooks: every request carried a valid signature ({received.Count(r => !r.Verified)} did not)");
    }

    private static async Task<List<string>> AuditIdsAsync(HttpClient client, string orgId)
    {
        var events = (await client.GetFromJsonAsync<JsonNode>($"/v1/organisations/{orgId}/audit?limit=1000"))!["items"]!.AsArray();
        // An endpoint starts at its own webhook.created event: the limit set with the organisation came before it.
        var subscribedAt = events.Single(e => e!["action"]!.GetValue<string>() == "webhook.created")!["seq"]!.GetValue<long>();
        return events
            .Where(e => e!["action"]!.GetValue<string>() == "org.limit.set" && e["seq"]!.GetValue<long>() > subscribedAt)
            .OrderBy(e => e!["seq"]!.GetValue<long>())
            .Select(e => e!["id"]!.GetValue<string>()).ToList();
    }
}

using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace Taskee.Chaos;

/// <summary>Cluster figures for docs/benchmarks.md: change propagation, 3 silos against 1, state writes per 1,000 consumes.</summary>
public static class Measurements
{
    private static readonly Dictionary<string, string> ProductionQuota = new()
    {
        ["Quota:FlushInterval"] = "00:00:00.250",
        ["Quota:MaxLease"] = "1000000",
    };

    public static async Task RunAsync(string server, int seconds)
    {
        (double PerSecond, double WritesPer1000) one, three;
        await using (var cluster = await ChaosCluster.StartAsync(server, 1, "measure1", ProductionQuota))
            one = await ThroughputAsync(cluster, seconds);
        await using (var cluster = await ChaosCluster.StartAsync(server, 3, "measure3", ProductionQuota))
        {
            await PropagationAsync(cluster);
            three = await ThroughputAsync(cluster, seconds);
        }
        Console.WriteLine();
        Console.WriteLine("| silos | consumes/s | usage state writes per 1,000 consumes |");
        Console.WriteLine("|---:|---:|---:|");
        Console.WriteLine($"| 1 | {one.PerSecond:N0} | {one.WritesPer1000:F3} |");
        Console.WriteLine($"| 3 | {three.PerSecond:N0} | {three.WritesPer1000:F3} |");
        Console.WriteLine($"3 silos / 1 silo: {three.PerSecond / one.PerSecond:P0} (every silo and the load generator share this machine's 2 cores)");
    }

    /// <summary>A plan change answered by silo 0, then read through silo 2 by an organisation whose grain is active: delay until seen.</summary>
    private static async Task PropagationAsync(ChaosCluster cluster)
    {
        using var writer = cluster.Client(0);
        using var reader = cluster.Client(2);
        var samples = new List<double>();
        var writes = new List<double>();
        for (var i = 0; i < 20; i++)
        {
            var org = $"prop-{i:00}";
            await cluster.CreateOrganisationAsync(org, 1000, viaNode: i % 3);
            var flag = $"prop-flag-{i:00}";
            var written = Stopwatch.StartNew();
            (await writer.PutAsJsonAsync($"/v1/flags/{flag}", new { enabled = true, rolloutPercent = 0, allow = new[] { org } })).EnsureSuccessStatusCode();
            writes.Add(written.Elapsed.TotalMilliseconds);
            var answered = Stopwatch.StartNew();
            while ((await reader.GetFromJsonAsync<JsonNode>($"/v1/organisations/{org}/entitlements"))!["features"]![flag]?["enabled"]?.GetValue<bool>() != true)
                await Task.Delay(1);
            samples.Add(answered.Elapsed.TotalMilliseconds);
        }
        samples.Sort();
        writes.Sort();
        Console.WriteLine($"Flag change: PUT answered in p50 {writes[10]:F1} ms, p95 {writes[18]:F1} ms (commit, then every silo applied it);" +
                          $" seen through another silo after the answer: p50 {samples[10]:F1} ms, max {samples[^1]:F1} ms (one read each, no wait)");
    }

    private static async Task<(double PerSecond, double WritesPer1000)> ThroughputAsync(ChaosCluster cluster, int seconds)
    {
        var orgs = Enumerable.Range(0, 12).Select(i => $"load{cluster.Nodes.Count}-{i:00}").ToArray();
        for (var i = 0; i < orgs.Length; i++) await cluster.CreateOrganisationAsync(orgs[i], 1_000_000_000_000, viaNode: i % cluster.Nodes.Count);
        var entry = cluster.Nodes.Select(n => n.BaseAddress).ToList();

        var warmUp = new LoadDriver(entry, orgs, workersPerOrg: 2);
        warmUp.Start();
        await Task.Delay(2000);
        await warmUp.StopAsync();

        var writesBefore = await cluster.StateWritesAsync();
        var load = new LoadDriver(entry, orgs, workersPerOrg: 2);
        var watch = Stopwatch.StartNew();
        load.Start();
        await Task.Delay(TimeSpan.FromSeconds(seconds));
        await load.StopAsync();
        var elapsed = watch.Elapsed.TotalSeconds;
        var acknowledged = orgs.Sum(load.Acknowledged);
        var writes = await cluster.StateWritesAsync() - writesBefore;
        Console.WriteLine($"  {cluster.Nodes.Count} silo(s): {acknowledged / elapsed:N0} consumes/s, {writes} usage state writes for {acknowledged:N0} consumes, " +
                          $"failures {load.Tallies.Values.Sum(t => t.Failures)}");
        return (acknowledged / elapsed, writes * 1000.0 / Math.Max(1, acknowledged));
    }
}

using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace Taskee.Chaos;

/// <summary>Cluster figures for docs/benchmarks.md: propagation latency, 3-node against 1-node throughput, ledger round trips.</summary>
public static class Measurements
{
    public static async Task RunAsync(string server, int seconds)
    {
        // Production defaults for the quota engine, so round trips are those an operator would see.
        await using var cluster = await ChaosCluster.StartAsync(server, 3, "measure", new Dictionary<string, string>
        {
            ["Quota:FlushInterval"] = "00:00:00.250",
            ["Quota:LeaseTtl"] = "00:00:10",
        });
        await PropagationAsync(cluster);

        const string org = "measure-load";
        await cluster.CreateOrganisationAsync(org, 1_000_000_000_000);
        var one = await ThroughputAsync(cluster, org, nodes: 1, seconds);
        var three = await ThroughputAsync(cluster, org, nodes: 3, seconds);
        Console.WriteLine();
        Console.WriteLine("| nodes | consumes/s | ledger round trips per 1,000 consumes |");
        Console.WriteLine("|---:|---:|---:|");
        Console.WriteLine($"| 1 | {one.PerSecond:N0} | {one.RoundTripsPer1000:F3} |");
        Console.WriteLine($"| 3 | {three.PerSecond:N0} | {three.RoundTripsPer1000:F3} |");
        Console.WriteLine($"3-node / 1-node throughput: {three.PerSecond / one.PerSecond:P0} (all nodes and the load generator share this machine's 2 cores)");
    }

    private static async Task PropagationAsync(ChaosCluster cluster)
    {
        const string org = "measure-propagation";
        await cluster.CreateOrganisationAsync(org, 1000);
        using var writer = cluster.Client(0);
        var readers = new[] { cluster.Client(1), cluster.Client(2) };
        foreach (var reader in readers) (await reader.GetAsync($"/v1/organisations/{org}")).EnsureSuccessStatusCode(); // activate

        var samples = new List<double>();
        for (var i = 0; i < 50; i++)
        {
            var response = await writer.PatchAsJsonAsync($"/v1/organisations/{org}", new { name = $"Renamed {i}" });
            response.EnsureSuccessStatusCode();
            var committed = Stopwatch.GetTimestamp();
            var version = (await response.Content.ReadFromJsonAsync<JsonNode>())!["version"]!.GetValue<long>();
            foreach (var reader in readers)
            {
                while ((await reader.GetFromJsonAsync<JsonNode>($"/v1/organisations/{org}"))!["version"]!.GetValue<long>() < version)
                {
                    if (Stopwatch.GetElapsedTime(committed) > TimeSpan.FromSeconds(10)) throw new TimeoutException("A change did not propagate in 10 s.");
                }
                samples.Add(Stopwatch.GetElapsedTime(committed).TotalMilliseconds);
            }
        }
        foreach (var reader in readers) reader.Dispose();
        samples.Sort();
        Console.WriteLine($"Propagation (commit on node 0 -> visible on nodes 1 and 2, {samples.Count} samples): " +
            $"p50 {samples[samples.Count / 2]:F1} ms, p99 {samples[(int)(samples.Count * 0.99)]:F1} ms, max {samples[^1]:F1} ms");
    }

    private static async Task<(double PerSecond, double RoundTripsPer1000)> ThroughputAsync(ChaosCluster cluster, string org, int nodes, int seconds)
    {
        var targets = cluster.Nodes.Take(nodes).Select(n => n.BaseAddress).ToList();
        var warmUp = new LoadDriver(targets, org, workers: 24);
        warmUp.Start();
        await Task.Delay(2000);
        await warmUp.StopAsync();

        var roundTripsBefore = await cluster.LedgerRoundTripsAsync();
        var load = new LoadDriver(targets, org, workers: 24);
        var watch = Stopwatch.StartNew();
        load.Start();
        await Task.Delay(TimeSpan.FromSeconds(seconds));
        await load.StopAsync();
        var elapsed = watch.Elapsed.TotalSeconds;
        var roundTrips = await cluster.LedgerRoundTripsAsync() - roundTripsBefore;
        var acknowledged = load.Acknowledged;
        Console.WriteLine($"  {nodes} node(s): {acknowledged / elapsed:N0} consumes/s, {roundTrips} ledger round trips for {acknowledged:N0} consumes, failures {load.Tallies.Sum(t => t.Failures)}");
        return (acknowledged / elapsed, roundTrips * 1000.0 / Math.Max(1, acknowledged));
    }
}

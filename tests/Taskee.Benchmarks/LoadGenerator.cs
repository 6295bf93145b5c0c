using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Taskee.Processes;

namespace Taskee.Benchmarks;

/// <summary>
/// HTTP load against a node process on loopback: the bare endpoint (same JSON in and out, no work) and
/// <c>consume</c>, in alternating phases with the same client and connections; then batch checks.
/// Bounded in time; prints a Markdown table of figures and ratios.
/// Usage: http [--seconds 10] [--connections 32] [--rounds 2]
/// </summary>
public static class LoadGenerator
{
    private const string AdminKey = "tk_benchadmin_0123456789abcdef0123456789abcdef0123456789abcdef";

    public static async Task<int> RunAsync(string[] args)
    {
        var seconds = Option(args, "--seconds", 10);
        var connections = Option(args, "--connections", 32);
        var rounds = Option(args, "--rounds", 2);

        var directory = Directory.CreateTempSubdirectory("taskee-load-").FullName;
        await using var node = await NodeProcess.StartAsync("load", new Dictionary<string, string>
        {
            ["Storage:ConnectionString"] = $"Data Source={Path.Combine(directory, "load.db")}",
            ["Auth:BootstrapAdminKey"] = AdminKey,
            ["Bench:BareEndpoint"] = "true",
            ["Logging:LogLevel:Default"] = "Warning",
        }, directory);
        using var handler = new SocketsHttpHandler { MaxConnectionsPerServer = connections, PooledConnectionLifetime = Timeout.InfiniteTimeSpan };
        using var client = new HttpClient(handler) { BaseAddress = node.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", AdminKey);

        await SetUpAsync(client);
        Console.WriteLine($"Node {node.BaseAddress}, {connections} connections, {seconds} s per phase, {rounds} rounds (+2 s warm-up each)");

        var bare = new List<PhaseResult>();
        var consume = new List<PhaseResult>();
        long roundTrips = 0, consumed = 0;
        for (var round = 0; round < rounds; round++)
        {
            bare.Add(await PhaseAsync("bare", client, connections, seconds, () => Post("/bench/bare")));
            var before = await RoundTripsAsync(client);
            var result = await PhaseAsync("consume", client, connections, seconds, () => Post("/v1/organisations/bench/usage/ai_calls/consume"));
            roundTrips += await RoundTripsAsync(client) - before;
            consumed += result.Ok;
            consume.Add(result);
        }

        var batchBody = BatchBody(1000);
        var batch = await PhaseAsync("batch", client, Math.Min(connections, 8), seconds, () => new HttpRequestMessage(HttpMethod.Post, "/v1/usage/batch")
        {
            Content = new StringContent(batchBody, Encoding.UTF8, "application/json"),
        });

        var bareRps = bare.Average(r => r.RequestsPerSecond);
        var consumeRps = consume.Average(r => r.RequestsPerSecond);
        Console.WriteLine();
        Console.WriteLine("| measure | bare endpoint | consume | ratio |");
        Console.WriteLine("|---|---:|---:|---:|");
        Console.WriteLine($"| requests/s | {bareRps:N0} | {consumeRps:N0} | {consumeRps / bareRps:P0} |");
        Console.WriteLine($"| p50 latency | {Median(bare, r => r.P50Us)} µs | {Median(consume, r => r.P50Us)} µs | |");
        Console.WriteLine($"| p99 latency | {Median(bare, r => r.P99Us)} µs | {Median(consume, r => r.P99Us)} µs | |");
        Console.WriteLine($"| errors | {bare.Sum(r => r.Errors)} | {consume.Sum(r => r.Errors)} | |");
        Console.WriteLine();
        Console.WriteLine($"Ledger round trips per 1,000 consumes (steady state, one hot organisation): {roundTrips * 1000.0 / Math.Max(1, consumed):F3} ({roundTrips} round trips for {consumed:N0} consumes)");
        Console.WriteLine($"Batch: {batch.RequestsPerSecond * 1000:N0} checks/s ({batch.RequestsPerSecond:N0} batches/s of 1,000; p50 {batch.P50Us} µs, p99 {batch.P99Us} µs, errors {batch.Errors})");
        return consume.Sum(r => r.Errors) + bare.Sum(r => r.Errors) + batch.Errors == 0 ? 0 : 1;
    }

    private static HttpRequestMessage Post(string path) =>
        new(HttpMethod.Post, path) { Content = new StringContent("""{"amount":1}""", Encoding.UTF8, "application/json") };

    private static string BatchBody(int items)
    {
        var list = string.Join(',', Enumerable.Repeat("""{"orgId":"bench","metric":"ai_calls","op":"check","amount":1}""", items));
        return $$"""{"items":[{{list}}]}""";
    }

    private static async Task SetUpAsync(HttpClient client)
    {
        var created = await client.PostAsJsonAsync("/v1/organisations", new { id = "bench", name = "Bench", plan = "enterprise" });
        if (created.StatusCode is not (HttpStatusCode.Created or HttpStatusCode.Conflict))
            throw new InvalidOperationException($"Could not create the bench organisation: {(int)created.StatusCode} {await created.Content.ReadAsStringAsync()}");
        var limit = await client.PutAsJsonAsync("/v1/organisations/bench/limits/ai_calls", new { limit = 1_000_000_000_000_000 });
        limit.EnsureSuccessStatusCode();
    }

    private static async Task<long> RoundTripsAsync(HttpClient client) =>
        (await client.GetFromJsonAsync<JsonNode>("/v1/ops/quota"))!["ledgerRoundTrips"]!.GetValue<long>();

    private sealed record PhaseResult(long Ok, long Errors, double RequestsPerSecond, long P50Us, long P99Us);

    /// <summary>Warms up for 2 s, then measures for <paramref name="seconds"/>, with <paramref name="workers"/> requests in flight.</summary>
    private static async Task<PhaseResult> PhaseAsync(string name, HttpClient client, int workers, int seconds, Func<HttpRequestMessage> request)
    {
        await RunWorkersAsync(client, workers, TimeSpan.FromSeconds(2), request, new long[1], new long[1], new long[1]);
        var histogram = new long[1_000_001]; // microseconds, last bucket = 1 s or more
        var ok = new long[1];
        var errors = new long[1];
        var started = Stopwatch.GetTimestamp();
        await RunWorkersAsync(client, workers, TimeSpan.FromSeconds(seconds), request, histogram, ok, errors);
        var elapsed = Stopwatch.GetElapsedTime(started).TotalSeconds;
        var result = new PhaseResult(ok[0], errors[0], ok[0] / elapsed, Percentile(histogram, 0.50), Percentile(histogram, 0.99));
        Console.WriteLine($"  {name,-8} {result.RequestsPerSecond,10:N0} req/s  p50 {result.P50Us} µs  p99 {result.P99Us} µs  errors {result.Errors}");
        return result;
    }

    private static Task RunWorkersAsync(HttpClient client, int workers, TimeSpan duration, Func<HttpRequestMessage> request,
        long[] histogram, long[] ok, long[] errors)
    {
        var until = Stopwatch.GetTimestamp() + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        return Task.WhenAll(Enumerable.Range(0, workers).Select(_ => Task.Run(async () =>
        {
            while (Stopwatch.GetTimestamp() < until)
            {
                var start = Stopwatch.GetTimestamp();
                using var response = await client.SendAsync(request());
                await response.Content.LoadIntoBufferAsync();
                var micros = (long)Stopwatch.GetElapsedTime(start).TotalMicroseconds;
                if (response.StatusCode == HttpStatusCode.OK) Interlocked.Increment(ref ok[0]);
                else Interlocked.Increment(ref errors[0]);
                if (histogram.Length > 1) Interlocked.Increment(ref histogram[Math.Min(micros, histogram.Length - 1)]);
            }
        })));
    }

    private static long Percentile(long[] histogram, double p)
    {
        var total = histogram.Sum();
        var target = (long)Math.Ceiling(total * p);
        long seen = 0;
        for (var i = 0; i < histogram.Length; i++)
        {
            seen += histogram[i];
            if (seen >= target) return i;
        }
        return histogram.Length - 1;
    }

    private static long Median(List<PhaseResult> results, Func<PhaseResult, long> selector) =>
        results.Select(selector).Order().ElementAt(results.Count / 2);

    private static int Option(string[] args, string name, int fallback)
    {
        var index = Array.IndexOf(args, name);
        return index >= 0 && index + 1 < args.Length && int.TryParse(args[index + 1], out var value) ? value : fallback;
    }
}

using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;

namespace Taskee.Chaos;

/// <summary>What one organisation got during a load run.</summary>
public sealed class OrgTally
{
    public long Allowed;
    public long Denied;
    /// <summary>503 answers and ledger_unavailable denials: "not now, retry", never an allow.</summary>
    public long Unavailable;
    /// <summary>Any other 5xx.</summary>
    public long ServerErrors;
    /// <summary>No answer at all: refused, reset, timed out (3 s).</summary>
    public long Unreachable;
    /// <summary>The slowest answer that was not a decision, in milliseconds.</summary>
    public long SlowestRefusalMs;
    /// <summary>When (Stopwatch ticks) the latest request that was allowed had been sent.</summary>
    public long LastAllowedAt;

    public long Failures => Unavailable + ServerErrors + Unreachable;
}

/// <summary>
/// Workers sending <c>consume 1</c> for their organisation, round-robin over the entry nodes, until stopped. A consume
/// counts as acknowledged only when the client received 200 with <c>allowed:true</c>.
/// </summary>
public sealed class LoadDriver(IReadOnlyList<Uri> entryNodes, IReadOnlyList<string> orgIds, int workersPerOrg)
{
    private readonly CancellationTokenSource _stop = new();
    private Task? _running;

    public Dictionary<string, OrgTally> Tallies { get; } = orgIds.ToDictionary(o => o, _ => new OrgTally());

    public long Acknowledged(string orgId) => Interlocked.Read(ref Tallies[orgId].Allowed);

    public void Start()
    {
        var handler = new SocketsHttpHandler { MaxConnectionsPerServer = orgIds.Count * workersPerOrg, ConnectTimeout = TimeSpan.FromSeconds(1) };
        var client = new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(3) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", ChaosCluster.AdminKey);
        _running = Task.WhenAll(orgIds.SelectMany(org => Enumerable.Range(0, workersPerOrg).Select(worker => Task.Run(() => WorkAsync(client, org, worker)))));
    }

    public async Task StopAsync()
    {
        _stop.Cancel();
        if (_running is not null) await _running;
    }

    private async Task WorkAsync(HttpClient client, string orgId, int worker)
    {
        var tally = Tallies[orgId];
        var turn = worker;
        while (!_stop.IsCancellationRequested)
        {
            var node = entryNodes[turn++ % entryNodes.Count];
            var started = Stopwatch.GetTimestamp();
            try
            {
                using var response = await client.PostAsync(new Uri(node, $"/v1/organisations/{orgId}/usage/ai_calls/consume"),
                    new StringContent("""{"amount":1}""", Encoding.UTF8, "application/json"));
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
                    if (body["allowed"]!.GetValue<bool>())
                    {
                        Interlocked.Increment(ref tally.Allowed);
                        long seen;
                        while (started > (seen = Interlocked.Read(ref tally.LastAllowedAt))
                               && Interlocked.CompareExchange(ref tally.LastAllowedAt, started, seen) != seen) { }
                    }
                    else if (body["reason"]!.GetValue<string>() == "ledger_unavailable") Refused(ref tally.Unavailable, tally, started);
                    else Interlocked.Increment(ref tally.Denied);
                }
                else if (response.StatusCode == HttpStatusCode.ServiceUnavailable) Refused(ref tally.Unavailable, tally, started);
                else if ((int)response.StatusCode >= 500) Refused(ref tally.ServerErrors, tally, started);
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or IOException)
            {
                Refused(ref tally.Unreachable, tally, started);
                await Task.Delay(10);
            }
        }
    }

    private static void Refused(ref long counter, OrgTally tally, long started)
    {
        Interlocked.Increment(ref counter);
        var ms = (long)Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        long seen;
        while (ms > (seen = Interlocked.Read(ref tally.SlowestRefusalMs)) && Interlocked.CompareExchange(ref tally.SlowestRefusalMs, ms, seen) != seen) { }
    }
}

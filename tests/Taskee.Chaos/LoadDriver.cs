using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;

namespace Taskee.Chaos;

/// <summary>What one node answered during a load run.</summary>
public sealed class NodeTally
{
    public long Allowed;
    public long Denied;
    public long LedgerUnavailable;
    public long ServerErrors;   // 5xx answers
    public long Unreachable;    // no answer: refused, reset, timed out

    public long Failures => ServerErrors + Unreachable;
}

/// <summary>
/// Workers sending <c>consume 1</c> round-robin over the nodes until stopped. A consume counts as acknowledged
/// only when the client received 200 with <c>allowed:true</c>.
/// </summary>
public sealed class LoadDriver(IReadOnlyList<Uri> nodes, string orgId, int workers)
{
    private readonly CancellationTokenSource _stop = new();
    private readonly NodeTally[] _tallies = nodes.Select(_ => new NodeTally()).ToArray();
    private Task? _running;

    public IReadOnlyList<NodeTally> Tallies => _tallies;

    public long Acknowledged => _tallies.Sum(t => Interlocked.Read(ref t.Allowed));

    /// <summary>Nodes excluded from the round robin (for example while paused), by index.</summary>
    public HashSet<int> Skip { get; } = [];

    public void Start()
    {
        var handler = new SocketsHttpHandler { MaxConnectionsPerServer = workers, ConnectTimeout = TimeSpan.FromSeconds(1) };
        var client = new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(3) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", ChaosCluster.AdminKey);
        _running = Task.WhenAll(Enumerable.Range(0, workers).Select(worker => Task.Run(() => WorkAsync(client, worker))));
    }

    public async Task StopAsync()
    {
        _stop.Cancel();
        if (_running is not null) await _running;
    }

    private async Task WorkAsync(HttpClient client, int worker)
    {
        var turn = worker;
        while (!_stop.IsCancellationRequested)
        {
            var node = turn++ % nodes.Count;
            lock (Skip)
            {
                if (Skip.Contains(node)) continue;
            }
            var tally = _tallies[node];
            try
            {
                using var response = await client.PostAsync(new Uri(nodes[node], $"/v1/organisations/{orgId}/usage/ai_calls/consume"),
                    new StringContent("""{"amount":1}""", Encoding.UTF8, "application/json"));
                if ((int)response.StatusCode >= 500) Interlocked.Increment(ref tally.ServerErrors);
                else if (response.StatusCode == HttpStatusCode.OK)
                {
                    var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
                    if (body["allowed"]!.GetValue<bool>()) Interlocked.Increment(ref tally.Allowed);
                    else if (body["reason"]!.GetValue<string>() == "ledger_unavailable") Interlocked.Increment(ref tally.LedgerUnavailable);
                    else Interlocked.Increment(ref tally.Denied);
                }
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or IOException)
            {
                Interlocked.Increment(ref tally.Unreachable);
                await Task.Delay(10);
            }
        }
    }
}

using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace Taskee.Chaos;

/// <summary>The chaos scenarios issue 4 asks for. Each runs on its own database and nodes, bounded in time.</summary>
public static class Scenarios
{
    /// <summary>
    /// Load on one organisation over 3 nodes; kill -9 one mid-load; restart it; run the organisation dry.
    /// Never over the limit; every acknowledged consume counted; what the ledger counts beyond the
    /// acknowledged is within the killed node's lease at the kill; survivors answer throughout; ledger settles.
    /// </summary>
    public static async Task KillNineAsync(string server, int round, Checks checks, List<string> figures)
    {
        const long limit = 40_000;
        await using var cluster = await ChaosCluster.StartAsync(server, 3, $"kill{round}");
        const string org = "chaos-kill";
        await cluster.CreateOrganisationAsync(org, limit);
        var victimId = await cluster.NodeIdAsync(1);

        const int workers = 24;
        var load = new LoadDriver(cluster.Nodes.Select(n => n.BaseAddress).ToList(), org, workers);
        load.Start();
        await Task.Delay(1500);

        await cluster.Nodes[1].KillAsync();
        // The bound: the dead holder's leases as it left them (read before anyone can reclaim them, which takes
        // Quota:LeaseTtl), plus answers lost in flight: at most one per client connection.
        var leasedAtDeath = await cluster.LeasedToAsync(victimId);
        var bound = leasedAtDeath + workers;
        var survivorsAtKill = load.Tallies[0].Failures + load.Tallies[2].Failures;
        await Task.Delay(2000);
        await cluster.Nodes[1].StartAsync();
        await Task.Delay(1500);
        var survivorsAfter = load.Tallies[0].Failures + load.Tallies[2].Failures;

        // Run the organisation dry, then stop the load.
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromSeconds(20) && load.Acknowledged < limit - 100) await Task.Delay(200);
        await Task.Delay(1000);
        await load.StopAsync();

        // Let the survivors reclaim the dead holder's leases, then stop every node gracefully.
        await Task.Delay(ChaosCluster.LeaseTtl * 2);
        foreach (var node in cluster.Nodes) await node.TerminateAsync();
        var (consumed, leased) = await cluster.LedgerAsync(org);
        var acknowledged = load.Acknowledged;
        var lost = consumed - acknowledged;

        checks.That(acknowledged <= limit, $"kill #{round}: acknowledged {acknowledged:N0} <= limit {limit:N0} (over-admission {Math.Max(0, acknowledged - limit)})");
        checks.That(consumed <= limit, $"kill #{round}: ledger consumed {consumed:N0} <= limit {limit:N0}");
        checks.That(consumed >= acknowledged, $"kill #{round}: every acknowledged consume is in the ledger ({consumed:N0} >= {acknowledged:N0})");
        checks.That(lost <= bound, $"kill #{round}: counted but not acknowledged {lost:N0} <= bound {bound:N0} (victim's leases at death {leasedAtDeath:N0} + {workers} in flight)");
        checks.That(survivorsAfter == survivorsAtKill && survivorsAfter == 0, $"kill #{round}: survivors failed no request ({survivorsAfter} failures)");
        checks.That(leased == 0, $"kill #{round}: after restart and graceful stop nothing is left leased ({leased})");
        figures.Add($"| kill #{round} | {limit:N0} | {acknowledged:N0} | {consumed:N0} | {Math.Max(0, acknowledged - limit)} | {lost:N0} | {leasedAtDeath:N0} + {workers} | {load.Tallies[1].Unreachable:N0} |");
    }

    /// <summary>
    /// SIGSTOP a node that holds a lease until the lease expires and is reclaimed; drain the organisation on
    /// another node; SIGCONT: the woken node must not spend anything from its expired lease.
    /// </summary>
    public static async Task PauseAsync(string server, Checks checks)
    {
        const long limit = 2_000;
        await using var cluster = await ChaosCluster.StartAsync(server, 2, "stop");
        const string org = "chaos-stop";
        await cluster.CreateOrganisationAsync(org, limit);
        var sleeperId = await cluster.NodeIdAsync(1);
        using var sleeper = cluster.Client(1);
        using var awake = cluster.Client(0);

        long acknowledged = 0;
        for (var i = 0; i < 50; i++) acknowledged += await ConsumeAsync(sleeper, org) ? 1 : 0;
        var heldBeforePause = await cluster.LeasedToAsync(sleeperId);

        await cluster.Nodes[1].PauseAsync();
        await Task.Delay(ChaosCluster.LeaseTtl * 2 + TimeSpan.FromMilliseconds(500));
        var heldWhilePaused = await cluster.LeasedToAsync(sleeperId);

        var denialsInARow = 0;
        while (denialsInARow < 5)
        {
            if (await ConsumeAsync(awake, org)) { acknowledged++; denialsInARow = 0; }
            else denialsInARow++;
        }

        await cluster.Nodes[1].ResumeAsync();
        long spentAfterWaking = 0;
        for (var i = 0; i < 30; i++) spentAfterWaking += await ConsumeAsync(sleeper, org) ? 1 : 0;

        foreach (var node in cluster.Nodes) await node.TerminateAsync();
        var (consumed, _) = await cluster.LedgerAsync(org);

        checks.That(heldBeforePause > 0, $"stop: the paused node held a lease ({heldBeforePause} units)");
        checks.That(heldWhilePaused == 0, $"stop: its lease was reclaimed while it slept ({heldWhilePaused} left)");
        checks.That(spentAfterWaking == 0, $"stop: after SIGCONT it spent nothing from the expired lease ({spentAfterWaking} allowed)");
        checks.That(acknowledged <= limit && consumed <= limit, $"stop: acknowledged {acknowledged} and consumed {consumed} within the limit {limit}");
        checks.That(consumed >= acknowledged, $"stop: every acknowledged consume is in the ledger ({consumed} >= {acknowledged})");
    }

    /// <summary>Restart PostgreSQL under load: nodes never answer 500, keep serving from leases, and recover on their own.</summary>
    public static async Task DatabaseRestartAsync(string server, Func<Task> restartDatabase, Checks checks)
    {
        const long limit = 1_000_000_000;
        await using var cluster = await ChaosCluster.StartAsync(server, 3, "dbrestart");
        const string org = "chaos-db";
        await cluster.CreateOrganisationAsync(org, limit);

        var load = new LoadDriver(cluster.Nodes.Select(n => n.BaseAddress).ToList(), org, workers: 12);
        load.Start();
        await Task.Delay(1500);
        await restartDatabase();
        await Task.Delay(3000);
        var before = load.Tallies.Select(t => Interlocked.Read(ref t.Allowed)).ToArray();
        await Task.Delay(1500);
        var after = load.Tallies.Select(t => Interlocked.Read(ref t.Allowed)).ToArray();
        await load.StopAsync();

        foreach (var node in cluster.Nodes) await node.TerminateAsync();
        var (consumed, _) = await cluster.LedgerAsync(org);

        checks.That(load.Tallies.All(t => t.ServerErrors == 0), $"db restart: no 5xx ({string.Join(", ", load.Tallies.Select(t => t.ServerErrors))})");
        checks.That(Enumerable.Range(0, 3).All(i => after[i] > before[i]), "db restart: every node admits again after the database is back, without a restart of its own");
        checks.That(consumed >= load.Acknowledged, $"db restart: every acknowledged consume is in the ledger ({consumed:N0} >= {load.Acknowledged:N0})");
        Console.WriteLine($"        answers during the run: {string.Join("; ", load.Tallies.Select((t, i) => $"node{i} allowed {t.Allowed:N0}, ledger_unavailable {t.LedgerUnavailable:N0}, unreachable {t.Unreachable}"))}");
    }

    private static async Task<bool> ConsumeAsync(HttpClient client, string org)
    {
        var response = await client.PostAsJsonAsync($"/v1/organisations/{org}/usage/ai_calls/consume", new { amount = 1 });
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonNode>())!["allowed"]!.GetValue<bool>();
    }
}

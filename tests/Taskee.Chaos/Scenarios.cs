using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace Taskee.Chaos;

/// <summary>The failure scenarios: kill -9, kill -STOP past failure detection, a database restart. Each on its own database.</summary>
public static class Scenarios
{
    private const int Organisations = 12;

    /// <summary>Organisations spread over the silos: which silo holds which, and the node process of each silo.</summary>
    private sealed record Placement(string[] OrgIds, Dictionary<string, int> NodeOf, int Victim)
    {
        public string[] OnVictim => OrgIds.Where(o => NodeOf[o] == Victim).ToArray();
        public string[] OnSurvivors => OrgIds.Where(o => NodeOf[o] != Victim).ToArray();
    }

    private static async Task<Placement> PlaceAsync(ChaosCluster cluster, string prefix, long limit)
    {
        var silos = new Dictionary<string, int>();
        for (var i = 0; i < cluster.Nodes.Count; i++) silos[await cluster.SiloAddressAsync(i)] = i;
        var orgIds = Enumerable.Range(0, Organisations).Select(i => $"{prefix}-{i:00}").ToArray();
        var nodeOf = new Dictionary<string, int>();
        for (var i = 0; i < orgIds.Length; i++)
        {
            await cluster.CreateOrganisationAsync(orgIds[i], limit, viaNode: i % cluster.Nodes.Count);
            nodeOf[orgIds[i]] = silos[await cluster.SiloOfAsync(orgIds[i])];
        }
        // The victim: the silo, other than the first, that holds the most organisations.
        var victim = Enumerable.Range(1, cluster.Nodes.Count - 1).MaxBy(n => nodeOf.Values.Count(v => v == n));
        return new Placement(orgIds, nodeOf, victim);
    }

    private static List<Uri> EntryNodes(ChaosCluster cluster, int except) =>
        cluster.Nodes.Where((_, i) => i != except).Select(n => n.BaseAddress).ToList();

    /// <summary>
    /// Load on 12 organisations spread over 3 silos, entering through the two that survive; kill -9 the third.
    /// Never over a limit; organisations on the survivors never notice; the victim's organisations answer again from
    /// a survivor (measured); nothing acknowledged is lost and at most one reservation per organisation is stranded.
    /// </summary>
    public static async Task KillNineAsync(string server, int round, Checks checks, List<string> figures)
    {
        const long limit = 1_500;
        await using var cluster = await ChaosCluster.StartAsync(server, 3, $"kill{round}");
        var placement = await PlaceAsync(cluster, $"kill{round}", limit);
        checks.That(placement.OnVictim.Length > 0, $"kill #{round}: the victim silo holds organisations ({placement.OnVictim.Length} of {Organisations})");

        var load = new LoadDriver(EntryNodes(cluster, placement.Victim), placement.OrgIds, workersPerOrg: 2);
        load.Start();
        await Task.Delay(1000);
        var survivorFailuresBefore = placement.OnSurvivors.Sum(o => load.Tallies[o].Failures);
        var killedAt = Stopwatch.GetTimestamp();
        await cluster.Nodes[placement.Victim].KillAsync();

        // Until every victim organisation was allowed again after the kill, or 30 s.
        var recovery = TimeSpan.Zero;
        while (Stopwatch.GetElapsedTime(killedAt) < TimeSpan.FromSeconds(30))
        {
            if (placement.OnVictim.All(o => Interlocked.Read(ref load.Tallies[o].LastAllowedAt) > killedAt))
            {
                recovery = Stopwatch.GetElapsedTime(killedAt); // within the 20 ms of this poll
                break;
            }
            await Task.Delay(20);
        }
        var survivorFailures = placement.OnSurvivors.Sum(o => load.Tallies[o].Failures) - survivorFailuresBefore;

        // Run every organisation dry.
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromSeconds(30) && placement.OrgIds.Any(o => load.Tallies[o].Denied == 0)) await Task.Delay(100);
        await load.StopAsync();

        var overAdmission = placement.OrgIds.Sum(o => Math.Max(0, load.Acknowledged(o) - limit));
        long lostAcknowledged = 0, stranded = 0, worstStranded = 0;
        foreach (var org in placement.OrgIds)
        {
            var used = await cluster.UsedAsync(org, viaNode: 0);
            lostAcknowledged += Math.Max(0, load.Acknowledged(org) - used);
            var unacknowledged = Math.Max(0, used - load.Acknowledged(org));
            stranded += unacknowledged;
            worstStranded = Math.Max(worstStranded, unacknowledged);
        }
        var victimRefusals = placement.OnVictim.Select(o => load.Tallies[o]).ToList();
        var slowestRefusal = victimRefusals.Max(t => t.SlowestRefusalMs);
        var bound = ChaosCluster.MaxReservation + 2; // one reservation, plus an answer in flight per worker

        checks.That(overAdmission == 0, $"kill #{round}: no organisation admitted beyond its limit (over-admission {overAdmission})");
        checks.That(survivorFailures == 0, $"kill #{round}: organisations on surviving silos failed no request ({survivorFailures} failures)");
        checks.That(recovery > TimeSpan.Zero && recovery <= TimeSpan.FromSeconds(10),
            $"kill #{round}: the killed silo's organisations answered again from a survivor after {recovery.TotalSeconds:F1} s (target 5 s)");
        checks.That(slowestRefusal <= 3000, $"kill #{round}: refusals during failover were quick 503s (slowest {slowestRefusal} ms; a hang would show as the 3 s client timeout)");
        checks.That(victimRefusals.Sum(t => t.ServerErrors) == 0, $"kill #{round}: no 500 during failover ({victimRefusals.Sum(t => t.ServerErrors)})");
        checks.That(lostAcknowledged == 0, $"kill #{round}: every acknowledged consume is counted (lost {lostAcknowledged})");
        checks.That(worstStranded <= bound, $"kill #{round}: counted but not acknowledged at most one reservation per organisation (worst {worstStranded} <= {bound})");
        figures.Add($"| kill #{round} | {placement.OnVictim.Length} of {Organisations} | {recovery.TotalSeconds:F1} s | {placement.OrgIds.Sum(load.Acknowledged):N0} | {overAdmission} | {survivorFailures} | " +
                    $"{victimRefusals.Sum(t => t.Unavailable + t.Unreachable):N0} (slowest {slowestRefusal} ms) | {lostAcknowledged} | {stranded:N0} (worst {worstStranded}) |");
    }

    /// <summary>
    /// SIGSTOP a silo past failure detection: its organisations move to the survivors. SIGCONT: the woken silo learns it
    /// was declared dead and leaves; whatever it still answers comes out of reservations its successors count as used.
    /// </summary>
    public static async Task PauseAsync(string server, Checks checks)
    {
        const long limit = 1_000;
        await using var cluster = await ChaosCluster.StartAsync(server, 3, "stop");
        var placement = await PlaceAsync(cluster, "stop", limit);
        var sleeper = placement.Victim;

        var sleeperAddress = await cluster.SiloAddressAsync(sleeper);
        var observer = sleeper == 0 ? 1 : 0;
        var load = new LoadDriver(EntryNodes(cluster, sleeper), placement.OrgIds, workersPerOrg: 1);
        load.Start();
        await Task.Delay(500);
        var pausedAt = Stopwatch.GetTimestamp();
        await cluster.Nodes[sleeper].PauseAsync();
        while (Stopwatch.GetElapsedTime(pausedAt) < TimeSpan.FromSeconds(30)
               && !placement.OnVictim.All(o => Interlocked.Read(ref load.Tallies[o].LastAllowedAt) > pausedAt)) await Task.Delay(50);
        var movedAfter = Stopwatch.GetElapsedTime(pausedAt);
        // Past failure detection: the survivors have declared the sleeper dead before it wakes.
        while (Stopwatch.GetElapsedTime(pausedAt) < TimeSpan.FromSeconds(30) && await cluster.StatusOfAsync(sleeperAddress, observer) != "Dead")
            await Task.Delay(100);
        var declaredDead = await cluster.StatusOfAsync(sleeperAddress, observer) == "Dead";

        // Wake it and send it traffic of its own: it must not admit anything its successors did not count.
        await cluster.Nodes[sleeper].ResumeAsync();
        var woken = new LoadDriver([cluster.Nodes[sleeper].BaseAddress], placement.OnVictim, workersPerOrg: 1);
        woken.Start();
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromSeconds(30) && placement.OrgIds.Any(o => load.Tallies[o].Denied == 0)) await Task.Delay(100);
        await load.StopAsync();
        await woken.StopAsync();
        await Task.Delay(2000);
        var sleeperExited = cluster.Nodes[sleeper].Pid is null;

        long overAdmission = 0, lost = 0;
        foreach (var org in placement.OrgIds)
        {
            var acknowledged = load.Acknowledged(org) + (woken.Tallies.TryGetValue(org, out var w) ? w.Allowed : 0);
            overAdmission += Math.Max(0, acknowledged - limit);
            lost += Math.Max(0, acknowledged - await cluster.UsedAsync(org, viaNode: 0));
        }

        checks.That(placement.OnVictim.Length > 0, $"stop: the paused silo held organisations ({placement.OnVictim.Length})");
        checks.That(movedAfter < TimeSpan.FromSeconds(20), $"stop: its organisations answered again from the survivors after {movedAfter.TotalSeconds:F1} s");
        checks.That(declaredDead, "stop: the survivors declared the paused silo dead before it woke");
        checks.That(overAdmission == 0, $"stop: no organisation admitted beyond its limit, the woken silo included (over-admission {overAdmission})");
        checks.That(lost == 0, $"stop: every acknowledged consume is counted (lost {lost})");
        Console.WriteLine($"        the woken silo answered {woken.Tallies.Values.Sum(t => t.Allowed)} allowed, {woken.Tallies.Values.Sum(t => t.Failures)} refused; exited on its own: {sleeperExited}");
    }

    /// <summary>Restart PostgreSQL under load: no 500, answers are allows or quick refusals, and every silo admits again on its own.</summary>
    public static async Task DatabaseRestartAsync(string server, Func<Task> restartDatabase, Checks checks)
    {
        const long limit = 1_000_000_000;
        await using var cluster = await ChaosCluster.StartAsync(server, 3, "dbrestart");
        var placement = await PlaceAsync(cluster, "db", limit);

        var load = new LoadDriver(cluster.Nodes.Select(n => n.BaseAddress).ToList(), placement.OrgIds, workersPerOrg: 1);
        load.Start();
        await Task.Delay(1500);
        await restartDatabase();
        await Task.Delay(3000);
        var before = placement.OrgIds.ToDictionary(o => o, o => load.Acknowledged(o));
        await Task.Delay(1500);
        var after = placement.OrgIds.ToDictionary(o => o, o => load.Acknowledged(o));
        await load.StopAsync();

        long lost = 0;
        foreach (var org in placement.OrgIds) lost += Math.Max(0, load.Acknowledged(org) - await cluster.UsedAsync(org, viaNode: 0));
        var serverErrors = load.Tallies.Values.Sum(t => t.ServerErrors);
        checks.That(serverErrors == 0, $"db restart: no 500 ({serverErrors})");
        checks.That(placement.OrgIds.All(o => after[o] > before[o]), "db restart: every organisation is admitted again after the database is back, without a restart");
        checks.That(lost == 0, $"db restart: every acknowledged consume is counted (lost {lost})");
        Console.WriteLine($"        answers: {load.Tallies.Values.Sum(t => t.Allowed):N0} allowed, {load.Tallies.Values.Sum(t => t.Unavailable):N0} unavailable (503 or ledger_unavailable), {load.Tallies.Values.Sum(t => t.Unreachable)} unreachable");
    }
}

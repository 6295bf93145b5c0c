using System.Diagnostics;
using Taskee.Chaos;

// Usage: TASKEE_CHAOS_PG=<server connection string> dotnet run --project tests/Taskee.Chaos [-- --rounds 3 | --measure [seconds] | --webhooks]
// The database restart needs TASKEE_CHAOS_PG_RESTART, a shell command that restarts the server (tests/run.sh sets it).
var server = Environment.GetEnvironmentVariable("TASKEE_CHAOS_PG");
if (string.IsNullOrEmpty(server))
{
    Console.Error.WriteLine("Set TASKEE_CHAOS_PG to a PostgreSQL server connection string, or run tests/run.sh, which starts one.");
    return 2;
}
if (args.Length > 0 && args[0] == "--measure")
{
    await Measurements.RunAsync(server, args.Length > 1 && int.TryParse(args[1], out var s) ? s : 8);
    return 0;
}

if (args.Length > 0 && args[0] == "--webhooks")
{
    var only = new Checks();
    await WebhookScenario.KillMidDeliveryAsync(server, only);
    Console.WriteLine($"chaos: {only.Passed} passed, {only.Failed} failed");
    return only.Failed == 0 ? 0 : 1;
}

var rounds = args.Length == 2 && args[0] == "--rounds" && int.TryParse(args[1], out var r) ? r : 3;
var restartCommand = Environment.GetEnvironmentVariable("TASKEE_CHAOS_PG_RESTART");

var checks = new Checks();
var figures = new List<string>();
for (var round = 1; round <= rounds; round++)
{
    Console.WriteLine($"==> kill -9 under load, round {round} of {rounds}");
    await Run($"kill #{round}", () => Scenarios.KillNineAsync(server, round, checks, figures));
}
Console.WriteLine("==> kill -STOP past failure detection, then kill -CONT");
await Run("stop", () => Scenarios.PauseAsync(server, checks));
Console.WriteLine("==> outgoing webhooks: kill -9 of each silo while a delivery is in flight");
await Run("webhooks", () => WebhookScenario.KillMidDeliveryAsync(server, checks));
if (restartCommand is not null)
{
    Console.WriteLine("==> PostgreSQL restart under load");
    await Run("db restart", () => Scenarios.DatabaseRestartAsync(server, () => Shell(restartCommand), checks));
}
else
{
    checks.That(false, "db restart: TASKEE_CHAOS_PG_RESTART is not set, so the database restart was not tried");
}

Console.WriteLine();
Console.WriteLine("| run | organisations on the killed silo | answering again after | acknowledged | over-admission | failed requests for organisations on survivors | refused during failover (503) | acknowledged lost | counted, not acknowledged |");
Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|");
foreach (var line in figures) Console.WriteLine(line);
Console.WriteLine();
Console.WriteLine($"chaos: {checks.Passed} passed, {checks.Failed} failed");
return checks.Failed == 0 ? 0 : 1;

async Task Run(string name, Func<Task> scenario)
{
    try
    {
        await scenario();
    }
    catch (Exception ex)
    {
        checks.Error(name, ex);
    }
}

static async Task Shell(string command)
{
    using var process = Process.Start("bash", ["-c", command])!;
    await process.WaitForExitAsync();
    if (process.ExitCode != 0) throw new InvalidOperationException($"'{command}' exited with {process.ExitCode}");
}

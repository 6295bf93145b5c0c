using System.Diagnostics;
using Microsoft.Data.Sqlite;
using Taskee.Grains.Interfaces;

namespace Taskee.Benchmarks;

/// <summary>
/// Managed memory per active organisation grain: activates <c>--count</c> organisations on an in-process silo and
/// divides the growth of the live heap (after full collections) by the count. Baseline in the same run: as many
/// activations of <see cref="EmptyGrain"/>, i.e. what an activation costs Orleans before any state of ours.
/// Also the processor time the idle silo then spends, since every organisation grain keeps a flush timer.
/// Usage: memory [--count 100000]
/// </summary>
public static class ActivationMemory
{
    private const string Template = "mem-template";

    public static async Task<int> RunAsync(string[] args)
    {
        var index = Array.IndexOf(args, "--count");
        var count = index >= 0 && index + 1 < args.Length ? int.Parse(args[index + 1], System.Globalization.CultureInfo.InvariantCulture) : 100_000;

        await using var silo = await BenchSilo.StartAsync();
        await silo.CreateOrganisationAsync(Template);
        await CopyOrganisationAsync(silo.ConnectionString, Template, count);

        var empty = await MeasureAsync($"{count:N0} empty grains", count, async id => await silo.Grains.GetGrain<IEmptyGrain>(id).EchoAsync(Metrics.AiCalls, 1));
        var missing = 0;
        var organisations = await MeasureAsync($"{count:N0} organisation grains", count, async id =>
        {
            if (await silo.Grains.GetGrain<IOrganisationGrain>(id).GetOrganisationAsync() is null) Interlocked.Increment(ref missing);
        });
        if (missing > 0)
        {
            Console.Error.WriteLine($"{missing} organisations were not found; the figure would be wrong.");
            return 1;
        }

        Console.WriteLine();
        Console.WriteLine("| activations | bytes per activation | idle CPU, % of one core | activation time |");
        Console.WriteLine("|---|---:|---:|---:|");
        Console.WriteLine($"| empty grain (baseline) | {empty.BytesPerActivation:N0} | {empty.IdleCpuPercent:N1} | {empty.Took.TotalSeconds:N1} s |");
        Console.WriteLine($"| organisation grain | {organisations.BytesPerActivation:N0} | {organisations.IdleCpuPercent:N1} | {organisations.Took.TotalSeconds:N1} s |");
        Console.WriteLine($"Organisation / empty: {(double)organisations.BytesPerActivation / empty.BytesPerActivation:N2}x; target <= 4,096 B per organisation.");
        return 0;
    }

    private sealed record Measurement(long BytesPerActivation, double IdleCpuPercent, TimeSpan Took);

    private static string Id(int i) => $"mem-{i:D6}";

    /// <summary>Rows like the template's, in one statement: creating each through the API would take minutes here.</summary>
    private static async Task CopyOrganisationAsync(string connectionString, string template, int count)
    {
        const string sql = """
            WITH RECURSIVE seq(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM seq WHERE n < @count)
            INSERT INTO organisations (id, name, plan_id, status, limit_overrides, feature_overrides, billing_anchor, version, created_at, updated_at)
            SELECT printf('mem-%06d', n), name, plan_id, status, limit_overrides, feature_overrides, billing_anchor, version, created_at, updated_at
            FROM seq CROSS JOIN organisations WHERE id = @template
            """;
        await using var connection = new SqliteConnection(connectionString);
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Parameters.AddWithValue("@count", count);
        command.Parameters.AddWithValue("@template", template);
        var inserted = await command.ExecuteNonQueryAsync();
        if (inserted != count) throw new InvalidOperationException($"Inserted {inserted} organisations, expected {count}.");
    }

    private static async Task<Measurement> MeasureAsync(string name, int count, Func<string, Task> activate)
    {
        var before = GC.GetTotalMemory(forceFullCollection: true);
        var started = Stopwatch.StartNew();
        var done = 0;
        await Parallel.ForEachAsync(Enumerable.Range(1, count), new ParallelOptions { MaxDegreeOfParallelism = 64 }, async (i, _) =>
        {
            await activate(Id(i));
            if (Interlocked.Increment(ref done) % 20_000 == 0) Console.WriteLine($"  {name}: {done:N0} active after {started.Elapsed.TotalSeconds:N0} s");
        });
        var took = started.Elapsed;

        // Let activation settle (timers started, first flushes done), and see what the idle activations cost the processor.
        await Task.Delay(TimeSpan.FromSeconds(1));
        var process = Process.GetCurrentProcess();
        var cpuBefore = process.TotalProcessorTime;
        var idle = Stopwatch.StartNew();
        await Task.Delay(TimeSpan.FromSeconds(4));
        process.Refresh();
        var idleCpu = (process.TotalProcessorTime - cpuBefore).TotalSeconds / idle.Elapsed.TotalSeconds * 100;

        var bytes = (GC.GetTotalMemory(forceFullCollection: true) - before) / count;
        Console.WriteLine($"  {name}: {bytes:N0} B each, idle CPU {idleCpu:N1} % of one core, activated in {took.TotalSeconds:N1} s");
        return new Measurement(bytes, idleCpu, took);
    }
}

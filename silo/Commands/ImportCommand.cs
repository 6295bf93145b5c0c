using Spectre.Console;
using Taskee.Api.Billing;
using Taskee.Api.Imports;
using Taskee.Api.Infrastructure;
using Taskee.Grains;
using Taskee.Grains.Catalog;
using Taskee.Silo.Cluster;
using Taskee.Silo.Storage;

namespace Taskee.Silo.Commands;

/// <summary>
/// <c>import &lt;file&gt; [--dry-run] [--report &lt;path&gt;]</c>: imports existing customers through the organisations'
/// grains (joining the running cluster as a client, as reconcile-billing does). Prints each rejected row and ends with
/// <c>created N, updated N, unchanged N, rejected N</c>. Exit code 1 when some row was rejected.
/// </summary>
internal static class ImportCommand
{
    public static async Task<int> RunAsync(string[] args)
    {
        var positional = args.Where((a, i) => !a.StartsWith("--", StringComparison.Ordinal) && (i == 0 || args[i - 1] != "--report")).ToList();
        var dryRun = args.Contains("--dry-run");
        var reportIndex = Array.IndexOf(args, "--report");
        var reportPath = reportIndex >= 0 && reportIndex + 1 < args.Length ? args[reportIndex + 1] : null;
        if (positional.Count != 1 || (reportIndex >= 0 && reportPath is null))
        {
            Console.Error.WriteLine("Usage: dotnet run --project silo -- import <file.csv|file.ndjson> [--dry-run] [--report <path>]");
            return 2;
        }
        var file = positional[0];
        if (!File.Exists(file))
        {
            Console.Error.WriteLine($"File not found: {Path.GetFullPath(file)}. Under 'dotnet run' relative paths start in silo/; pass an absolute path.");
            return 2;
        }

        var builder = Host.CreateApplicationBuilder(args.Where(a => a.StartsWith("--", StringComparison.Ordinal) && a.Contains('=')).ToArray());
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Services.AddTaskeeStorage();
        builder.Services.AddTaskeeGrains();
        builder.Services.AddTaskeeBilling();
        builder.AddTaskeeOrleansClient();
        builder.Services.AddSingleton<OrganisationGrains>();
        builder.Services.AddTaskeeImportEngine();
        using var host = builder.Build();
        try
        {
            await host.Services.GetRequiredService<MigrationRunner>().MigrateAsync();
            await host.Services.GetRequiredService<CatalogCache>().ReloadAsync();
            await host.StartAsync();
            var importer = host.Services.GetRequiredService<CustomerImporter>();
            var format = ImportReader.Detect(file, File.ReadLines(file).FirstOrDefault(l => !string.IsNullOrWhiteSpace(l)));
            var total = CountRows(file, format);
            using var report = reportPath is null ? null : new StreamWriter(reportPath);
            report?.WriteLine(ImportReport.Header);
            var runId = $"cli-{DateTimeOffset.UtcNow:yyyyMMddTHHmmssZ}";

            void OnRow(ImportRowResult r)
            {
                if (r.Reason is { } reason) Console.WriteLine($"line {r.Line}: rejected: {reason}");
                report?.WriteLine(ImportReport.Line(r.Line, r.Outcome.ToString().ToLowerInvariant(), r.Reason));
            }

            ImportCounts counts;
            using (var reader = new StreamReader(file))
            {
                var rows = ImportReader.ReadAsync(reader, format);
                if (AnsiConsole.Profile.Capabilities.Interactive)
                {
                    counts = await AnsiConsole.Progress().StartAsync(async context =>
                    {
                        var task = context.AddTask(dryRun ? "Checking (dry run)" : "Importing", maxValue: Math.Max(total, 1));
                        return await importer.RunAsync(rows, new ImportRun(runId, dryRun), OnRow, new ImmediateProgress<ImportProgress>(p => task.Value = p.Counts.Done));
                    });
                }
                else
                {
                    counts = await importer.RunAsync(rows, new ImportRun(runId, dryRun), OnRow, new ImmediateProgress<ImportProgress>(p =>
                    {
                        if (p.Counts.Done % 1000 == 0) Console.WriteLine($"{p.Counts.Done}/{total} rows: {p.Counts}");
                    }));
                }
            }
            if (dryRun) Console.WriteLine("Dry run: nothing was changed.");
            Console.WriteLine(counts.ToString());
            return counts.Rejected == 0 ? 0 : 1;
        }
        catch (ImportFormatException ex)
        {
            Console.Error.WriteLine($"Cannot import {file}: {ex.Message} Nothing was changed.");
            return 2;
        }
        catch (Exception ex) when (CommandErrors.IsExpected(ex))
        {
            return CommandErrors.Report(ex);
        }
        finally
        {
            await host.StopAsync();
        }
    }

    // Data rows, for the progress bar's total: NDJSON lines that are not blank, CSV records after the header.
    private static long CountRows(string file, ImportFormat format) =>
        format == ImportFormat.Ndjson
            ? File.ReadLines(file).LongCount(l => !string.IsNullOrWhiteSpace(l))
            : Math.Max(0, File.ReadLines(file).LongCount(l => !string.IsNullOrWhiteSpace(l)) - 1);

}

using Taskee.Api.Infrastructure;
using Taskee.Silo.Cluster;
using Microsoft.Extensions.Options;
using Spectre.Console;
using Taskee.Api.Billing;
using Taskee.Api.Billing.Reconciliation;
using Taskee.Api.Billing.Stripe;
using Taskee.Grains;
using Taskee.Grains.Audit;
using Taskee.Grains.Catalog;
using Taskee.Silo.Storage;

namespace Taskee.Silo.Commands;

/// <summary>
/// Commands besides running the node: <c>migrate</c>, <c>verify-audit &lt;file.ndjson&gt;</c>, <c>reconcile-billing</c> and <c>legal-docs</c> (<see cref="LegalDocsCommand"/>).
/// With no command (or an unknown first argument, such as <c>--urls</c>) the node runs.
/// </summary>
public static class SiloCommands
{
    public static Func<string[], Task<int>>? Find(string name) => name switch
    {
        "migrate" => MigrateAsync,
        "verify-audit" => VerifyAuditAsync,
        "reconcile-billing" => ReconcileBillingAsync,
        "privacy-inventory" => PrivacyInventoryAsync,
        "legal-docs" => LegalDocsCommand.RunAsync,
        "import" => ImportCommand.RunAsync,
        "help" or "--help" or "-h" => _ => Task.FromResult(Help()),
        _ => null,
    };

    private static int Help()
    {
        Console.WriteLine("""
            Taskee control plane node

              dotnet run --project silo                       run the node (http://127.0.0.1:5080, SQLite under data/)
              dotnet run --project silo -- migrate            apply database migrations and exit
              dotnet run --project silo -- verify-audit FILE  check an exported audit chain (NDJSON) offline
              dotnet run --project silo -- reconcile-billing  re-read every linked Stripe subscription and correct drift
              dotnet run --project silo -- privacy-inventory [FILE]  write the personal data inventory (Markdown) to FILE or stdout
              dotnet run --project silo -- legal-docs --org ID --out DIR [--values contract.json] [--lang nl|en]
                                                              render the DPA, DPIA, SLA and other legal documents for an organisation
              dotnet run --project silo -- import FILE [--dry-run] [--report PATH]
                                                      import existing customers (CSV or NDJSON), see docs/import.md

            Settings come from appsettings.json, environment variables (Storage__Provider=postgres) or
            arguments (--Storage:Provider=postgres). See README.md for the full list.
            """);
        return 0;
    }

    private static async Task<int> MigrateAsync(string[] args)
    {
        var builder = Host.CreateApplicationBuilder(args);
        builder.Services.AddTaskeeStorage();
        using var host = builder.Build();
        try
        {
            var options = host.Services.GetRequiredService<IOptions<StorageOptions>>().Value;
            Console.WriteLine($"Migrating {options.Provider} storage...");
            var applied = await host.Services.GetRequiredService<MigrationRunner>().MigrateAsync();
            Console.WriteLine(applied.Count == 0 ? "Already up to date." : $"Applied: {string.Join(", ", applied)}");
            return 0;
        }
        catch (OptionsValidationException ex)
        {
            Console.Error.WriteLine($"Configuration error: {string.Join(" ", ex.Failures)}");
            return 2;
        }
        catch (System.Data.Common.DbException ex)
        {
            Console.Error.WriteLine($"Migration failed: {ex.Message}. Check Storage:ConnectionString and that the database is up.");
            return 1;
        }
    }

    /// <summary>Writes the personal data inventory; the repository keeps it as docs/privacy/data-inventory.md.</summary>
    private static async Task<int> PrivacyInventoryAsync(string[] args)
    {
        var markdown = Taskee.Api.Privacy.DataInventoryMarkdown.Render();
        if (args.Length == 0) Console.Write(markdown);
        else await File.WriteAllTextAsync(args[0], markdown);
        return 0;
    }

    /// <summary>An export of a chain pruned by retention: verified from its checkpoint line instead of genesis.</summary>
    private static int VerifyFromCheckpoint(string file, AuditCheckpoint checkpoint)
    {
        var result = AuditCheckpointVerifier.Verify(File.ReadLines(file));
        var scope = $" from the retention checkpoint at position {checkpoint.Seq} ({Events(checkpoint.PrunedCount)} before it pruned, last on {checkpoint.PrunedAt})";
        if (result.IsIntact)
        {
            Console.WriteLine($"OK: {Events(result.EventsChecked)}, hash chain intact{scope}.");
            return 0;
        }
        Console.Error.WriteLine($"BROKEN at line {result.BrokenAtLine} (event {result.BrokenEventId ?? "none"}): {result.Problem}. "
            + $"{Events(result.EventsChecked)} before it verified{scope}.");
        return 1;
    }

    private static string Events(long count) => count == 1 ? "1 event" : $"{count} events";

    private static long FirstSeq(string line) => TryReadSeq(line, out var seq) ? seq : 0;

    private static bool TryReadSeq(string line, out long seq)
    {
        seq = 0;
        try
        {
            using var document = System.Text.Json.JsonDocument.Parse(line);
            return document.RootElement.TryGetProperty("seq", out var value) && value.TryGetInt64(out seq);
        }
        catch (System.Text.Json.JsonException)
        {
            return false;
        }
    }

    private static Task<int> VerifyAuditAsync(string[] args)
    {
        if (args.Length != 1)
        {
            Console.Error.WriteLine("Usage: dotnet run --project silo -- verify-audit <file.ndjson>");
            return Task.FromResult(2);
        }
        if (!File.Exists(args[0]))
        {
            Console.Error.WriteLine($"File not found: {Path.GetFullPath(args[0])}. Under 'dotnet run' relative paths start in silo/; pass an absolute path "
                + "(\"$PWD/audit.ndjson\"). Export a chain with GET /v1/organisations/{orgId}/audit/export?format=ndjson.");
            return Task.FromResult(2);
        }

        // An export filtered with 'from' starts mid-chain: its first link is taken as given, the rest is checked.
        var firstLine = File.ReadLines(args[0]).FirstOrDefault(l => !string.IsNullOrWhiteSpace(l));
        if (firstLine is not null && AuditCheckpoint.TryParse(firstLine, out var checkpoint)) return Task.FromResult(VerifyFromCheckpoint(args[0], checkpoint));
        var startsAtGenesis = firstLine is null || !TryReadSeq(firstLine, out var firstSeq) || firstSeq <= 1;
        var result = AuditChainVerifier.Verify(File.ReadLines(args[0]), startsAtGenesis);
        var scope = startsAtGenesis ? "" : $" (a partial export from position {FirstSeq(firstLine!)}: its first link to earlier events is not checked)";
        if (result.IsIntact)
        {
            Console.WriteLine($"OK: {Events(result.EventsChecked)}, hash chain intact{scope}.");
            return Task.FromResult(0);
        }
        Console.Error.WriteLine($"BROKEN at line {result.BrokenAtLine} (event {result.BrokenEventId ?? "unreadable"}): {result.Problem}. "
            + $"{Events(result.EventsChecked)} before it verified{scope}.");
        return Task.FromResult(1);
    }

    /// <summary>
    /// Re-reads every linked subscription from Stripe and corrects drift, each correction an audit event. A progress bar
    /// on an interactive console, a line per ten organisations otherwise. Exit code 1 when some organisation failed.
    /// </summary>
    private static async Task<int> ReconcileBillingAsync(string[] args)
    {
        var builder = Host.CreateApplicationBuilder(args);
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Services.AddTaskeeStorage();
        builder.Services.AddTaskeeGrains();
        builder.Services.AddTaskeeBilling();
        // Changes go through the organisations' grains, so the command joins the running cluster as a client.
        builder.AddTaskeeOrleansClient();
        builder.Services.AddSingleton<OrganisationGrains>();
        using var host = builder.Build();
        try
        {
            _ = host.Services.GetRequiredService<IOptions<BillingOptions>>().Value;
            if (!host.Services.GetRequiredService<IOptions<StripeOptions>>().Value.HasApiKey)
            {
                Console.Error.WriteLine("Billing:Stripe:ApiKey is not set (environment Billing__Stripe__ApiKey=sk_...): there is nothing to reconcile against.");
                return 2;
            }
            await host.Services.GetRequiredService<MigrationRunner>().MigrateAsync();
            await host.Services.GetRequiredService<CatalogCache>().ReloadAsync();
            Console.WriteLine("Connecting to the cluster...");
            await host.StartAsync();
            var reconciler = host.Services.GetRequiredService<BillingReconciler>();

            ReconcileSummary summary;
            if (AnsiConsole.Profile.Capabilities.Interactive)
            {
                summary = await AnsiConsole.Progress().StartAsync(async context =>
                {
                    var task = context.AddTask("Reconciling billing", maxValue: 1);
                    return await reconciler.ReconcileAllAsync(new ImmediateProgress<ReconcileProgress>(p =>
                    {
                        task.MaxValue = p.Total;
                        task.Value = p.Done;
                        task.Description = $"Reconciling billing: {p.Corrected} corrected, {p.Failed} failed";
                    }));
                });
            }
            else
            {
                summary = await reconciler.ReconcileAllAsync(new ImmediateProgress<ReconcileProgress>(p =>
                {
                    if (p.Done % 10 == 0 || p.Done == p.Total)
                        Console.WriteLine($"{p.Done}/{p.Total} organisations checked, {p.Corrected} corrected, {p.Failed} failed");
                }));
            }
            Console.WriteLine($"Done ({summary.RunId}): {summary.Checked} organisations checked, {summary.Corrected} corrected, {summary.Failed} failed.");
            if (summary.Failed > 0) Console.Error.WriteLine("Some organisations could not be read from Stripe; the log names them. Run the command again later.");
            return summary.Failed == 0 ? 0 : 1;
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
}

using Microsoft.Extensions.Options;
using Taskee.Grains.Audit;
using Taskee.Silo.Storage;

namespace Taskee.Silo.Commands;

/// <summary>
/// Commands besides running the node: <c>migrate</c> and <c>verify-audit &lt;file.ndjson&gt;</c>.
/// With no command (or an unknown first argument, such as <c>--urls</c>) the node runs.
/// </summary>
public static class SiloCommands
{
    public static Func<string[], Task<int>>? Find(string name) => name switch
    {
        "migrate" => MigrateAsync,
        "verify-audit" => VerifyAuditAsync,
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

    private static Task<int> VerifyAuditAsync(string[] args)
    {
        if (args.Length != 1)
        {
            Console.Error.WriteLine("Usage: dotnet run --project silo -- verify-audit <file.ndjson>");
            return Task.FromResult(2);
        }
        if (!File.Exists(args[0]))
        {
            Console.Error.WriteLine($"File not found: {args[0]}. Export one with GET /v1/organisations/{{orgId}}/audit/export?format=ndjson.");
            return Task.FromResult(2);
        }

        var result = AuditChainVerifier.Verify(File.ReadLines(args[0]));
        if (result.IsIntact)
        {
            Console.WriteLine($"OK: {result.EventsChecked} events, hash chain intact.");
            return Task.FromResult(0);
        }
        Console.Error.WriteLine($"BROKEN at line {result.BrokenAtLine} (event {result.BrokenEventId ?? "unreadable"}): {result.Problem}. "
            + $"{result.EventsChecked} events before it verified.");
        return Task.FromResult(1);
    }
}

using System.Text.Json;
using Taskee.Api.Billing.Stripe;
using Taskee.Api.Documents;
using Taskee.Api.Ops;
using Taskee.Api.Sales.Crm;
using Taskee.Grains.Storage;
using Taskee.Silo.Storage;

namespace Taskee.Silo.Commands;

/// <summary>
/// <c>legal-docs --org &lt;orgId&gt; [--values contract.json] --out &lt;dir&gt; [--lang nl|en]</c>: renders the DPA, DPIA,
/// SLA, records of processing, incident response and security overview for one organisation as printable HTML, with
/// the organisation's name and id, the contract values from the file, and this deployment's facts (its settings and the
/// current price book). Values still open are printed as "to be agreed" and listed on the console.
/// </summary>
public static class LegalDocsCommand
{
    public const string Usage = "Usage: dotnet run --project silo -- legal-docs --org <orgId> [--values contract.json] --out <dir> [--lang nl|en]";

    public static async Task<int> RunAsync(string[] args)
    {
        if (!TryParse(args, out var org, out var valuesFile, out var outDir, out var languages, out var settings, out var problem))
        {
            Console.Error.WriteLine($"{problem}\n{Usage}");
            return 2;
        }
        ContractValues given;
        try
        {
            given = valuesFile is null ? new ContractValues()
                : JsonSerializer.Deserialize<ContractValues>(await File.ReadAllTextAsync(valuesFile), new JsonSerializerOptions(JsonSerializerDefaults.Web)) ?? new ContractValues();
        }
        catch (Exception ex) when (ex is IOException or JsonException or UnauthorizedAccessException)
        {
            Console.Error.WriteLine($"Cannot read the contract values {Path.GetFullPath(valuesFile!)}: {ex.Message}. It is a JSON object such as "
                + "{\"customerAddress\": \"...\", \"hostingRegion\": \"...\", \"slaTier\": \"business\"}; docs/legal/README.md lists the names.");
            return 2;
        }

        var builder = Host.CreateApplicationBuilder(settings);
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Services.AddTaskeeStorage();
        using var host = builder.Build();
        try
        {
            await host.Services.GetRequiredService<MigrationRunner>().MigrateAsync();
            var organisation = await host.Services.GetRequiredService<IOrganisationStore>().GetAsync(org!);
            if (organisation is null)
            {
                Console.Error.WriteLine($"Organisation '{org}' was not found in this database (check Storage:Provider and Storage:ConnectionString).");
                return 1;
            }
            var contract = given.Over(new ContractValues { CustomerName = organisation.Name, CustomerOrgId = organisation.Id });
            var configuration = host.Services.GetRequiredService<IConfiguration>();
            var facts = new ServiceFacts(await host.Services.GetRequiredService<IPriceBookStore>().GetCurrentAsync(),
                configuration.GetSection(CrmOptions.Section).Get<CrmOptions>() ?? new CrmOptions(),
                (configuration.GetSection(StripeOptions.Section).Get<StripeOptions>() ?? new StripeOptions()).HasApiKey,
                configuration.GetSection(OpsOptions.Section).Get<OpsOptions>() ?? new OpsOptions(), TimeProvider.System.GetUtcNow());

            Directory.CreateDirectory(outDir!);
            foreach (var language in languages)
            foreach (var name in DocumentCatalog.LegalDocuments)
            {
                var document = DocumentRenderer.Render(name, language, facts.ToValues(contract, language));
                var path = Path.Combine(outDir!, $"{name}.{language}.html");
                await File.WriteAllTextAsync(path, document.Html);
                Console.WriteLine($"Wrote {Path.GetFullPath(path)}");
            }
            if (contract.Open.Count > 0)
                Console.WriteLine($"Printed as to be agreed (add them to --values): {string.Join(", ", contract.Open)}.");
            return 0;
        }
        catch (Exception ex) when (CommandErrors.IsExpected(ex))
        {
            return CommandErrors.Report(ex);
        }
    }

    /// <summary>The command's own options; everything else (--Storage:Provider=...) is configuration for the host.</summary>
    private static bool TryParse(string[] args, out string? org, out string? values, out string? outDir, out IReadOnlyList<string> languages,
        out string[] settings, out string problem)
    {
        org = values = outDir = null;
        string? language = null;
        var rest = new List<string>();
        problem = "";
        for (var i = 0; i < args.Length; i++)
        {
            string? Next() => i + 1 < args.Length ? args[++i] : null;
            switch (args[i])
            {
                case "--org": org = Next(); break;
                case "--values": values = Next(); break;
                case "--out": outDir = Next(); break;
                case "--lang": language = Next(); break;
                default: rest.Add(args[i]); break;
            }
        }
        settings = rest.ToArray();
        languages = language is null ? DocumentCatalog.Languages : [language];
        if (string.IsNullOrWhiteSpace(org)) problem = "--org is required: the organisation the documents are for.";
        else if (string.IsNullOrWhiteSpace(outDir)) problem = "--out is required: the folder the HTML files are written to.";
        else if (language is not null && !DocumentCatalog.Languages.Contains(language)) problem = "--lang is nl or en (both when left out).";
        return problem.Length == 0;
    }
}

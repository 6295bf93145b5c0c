using System.Text;

namespace Taskee.Api.Privacy;

/// <summary>Renders <see cref="DataInventory"/> as <c>docs/privacy/data-inventory.md</c>.</summary>
public static class DataInventoryMarkdown
{
    public const string DocumentPath = "docs/privacy/data-inventory.md";

    public static string Render()
    {
        var text = new StringBuilder();
        text.Append("# Personal data inventory\n\n");
        text.Append("Generated from `api/Privacy/DataInventory.cs` by `dotnet run --project silo -- privacy-inventory`; do not edit by hand.\n");
        text.Append("A test fails when this file, the code or the database schema disagree.\n\n");
        text.Append("## Fields that can hold personal data\n\n");
        text.Append("| table | column | holds | purpose | legal basis | retention | flows to | access bundle field (planned) |\n");
        text.Append("|---|---|---|---|---|---|---|---|\n");
        foreach (var f in DataInventory.Fields)
            text.Append($"| `{f.Table}` | `{f.Column}` | {f.Holds} | {f.Purpose} | {f.LegalBasis} | {f.Retention} | {f.FlowsTo} | {(f.BundleField is null ? "not about a member" : $"`{f.BundleField}`")} |\n");
        text.Append("\n## Logs and telemetry\n\n").Append(DataInventory.LogsAndTelemetry).Append('\n');
        text.Append("\n## Tables without personal data\n\n| table | holds |\n|---|---|\n");
        foreach (var (table, why) in DataInventory.TablesWithoutPersonalData.OrderBy(t => t.Key, StringComparer.Ordinal))
            text.Append($"| `{table}` | {why} |\n");
        return text.ToString();
    }
}

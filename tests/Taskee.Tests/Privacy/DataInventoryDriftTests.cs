using System.Data.Common;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Taskee.Api.Privacy;
using Taskee.Silo.Storage;
using Taskee.Tests.Infrastructure;

namespace Taskee.Tests.Privacy;

/// <summary>The personal data inventory cannot drift from the schema or from its checked-in document.</summary>
public sealed class DataInventoryDriftTests(NodeFixture fixture) : IClassFixture<NodeFixture>
{
    private static string RepositoryFile(string path)
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Taskee.Orleans.sln"))) directory = directory.Parent;
        return Path.Combine(directory?.FullName ?? throw new InvalidOperationException("Taskee.Orleans.sln not found above the test binaries."), path);
    }

    private async Task<Dictionary<string, HashSet<string>>> SchemaAsync()
    {
        var dialect = fixture.Node.Services.GetRequiredService<SqlDialect>();
        await using DbConnection connection = await dialect.OpenAsync(CancellationToken.None);
        var columns = dialect is SqliteDialect
            ? await connection.QueryAsync<(string Table, string Column)>(
                "SELECT m.name, p.name FROM sqlite_master m JOIN pragma_table_info(m.name) p WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%'")
            : await connection.QueryAsync<(string Table, string Column)>(
                "SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = current_schema()");
        return columns.GroupBy(c => c.Table, StringComparer.OrdinalIgnoreCase)
            .ToDictionary(g => g.Key, g => g.Select(c => c.Column).ToHashSet(StringComparer.OrdinalIgnoreCase), StringComparer.OrdinalIgnoreCase);
    }

    [Fact]
    public void The_checked_in_inventory_is_the_one_the_code_renders()
    {
        var checkedIn = File.ReadAllText(RepositoryFile(DataInventoryMarkdown.DocumentPath));

        Assert.True(checkedIn == DataInventoryMarkdown.Render(),
            $"{DataInventoryMarkdown.DocumentPath} is out of date: run `dotnet run --project silo -- privacy-inventory \"$PWD/{DataInventoryMarkdown.DocumentPath}\"` and commit it.");
    }

    [Fact]
    public async Task Every_table_of_the_schema_is_inventoried_or_said_to_hold_no_personal_data()
    {
        var schema = await SchemaAsync();
        var inventoried = DataInventory.Fields.Select(f => f.Table).ToHashSet(StringComparer.OrdinalIgnoreCase);

        var unclassified = schema.Keys.Where(t => !inventoried.Contains(t) && !DataInventory.TablesWithoutPersonalData.ContainsKey(t)).ToList();

        Assert.True(unclassified.Count == 0,
            $"Tables in neither list of api/Privacy/DataInventory.cs: {string.Join(", ", unclassified)}. Add their personal fields, or say why they hold none.");
    }

    [Fact]
    public async Task Every_inventoried_column_exists()
    {
        var schema = await SchemaAsync();

        var missing = DataInventory.Fields
            .Where(f => !schema.TryGetValue(f.Table, out var columns) || !columns.Contains(f.Column.Split('.')[0]))
            .Select(f => $"{f.Table}.{f.Column}").ToList();

        Assert.Empty(missing);
    }
}

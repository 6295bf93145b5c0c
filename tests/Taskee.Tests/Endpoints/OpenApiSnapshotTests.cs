using System.Text.Json;
using System.Text.Json.Nodes;
using Taskee.Tests.Infrastructure;

namespace Taskee.Tests.Endpoints;

/// <summary>
/// The OpenAPI document is the contract of /v1 (docs/api/versioning.md): the generated one must equal the checked-in
/// docs/api/openapi-v1.json, so every change to the public API shows up as a diff of that file in review.
/// </summary>
public sealed class OpenApiSnapshotTests(NodeFixture fixture) : IClassFixture<NodeFixture>
{
    public const string UpdateVariable = "TASKEE_UPDATE_OPENAPI_SNAPSHOT";
    public const string UpdateCommand =
        UpdateVariable + "=1 dotnet test tests/Taskee.Tests -c Release --filter \"FullyQualifiedName~OpenApiSnapshot\"";

    [Fact]
    public async Task The_generated_openapi_document_equals_the_checked_in_snapshot()
    {
        var generated = Normalise(await fixture.Node.Client(null).GetJsonAsync("/openapi/v1.json"));
        var file = SnapshotPath();

        if (Environment.GetEnvironmentVariable(UpdateVariable) == "1")
        {
            await File.WriteAllTextAsync(file, Serialise(generated));
            return;
        }

        Assert.True(File.Exists(file), $"{file} is missing; create it with: {UpdateCommand}");
        var checkedIn = Normalise(JsonNode.Parse(await File.ReadAllTextAsync(file))!);
        if (JsonNode.DeepEquals(generated, checkedIn)) return;

        Assert.Fail($"The OpenAPI document differs from docs/api/openapi-v1.json:\n{Differences(checkedIn, generated)}\n"
            + $"If the change is intended (docs/api/versioning.md says what v1 allows), regenerate the file and commit it:\n  {UpdateCommand}");
    }

    [Fact]
    public async Task The_document_names_no_server_so_it_does_not_depend_on_the_host()
    {
        var document = await fixture.Node.Client(null).GetJsonAsync("/openapi/v1.json");
        Assert.True(document["servers"] is null or JsonArray { Count: 0 }, $"servers: {document["servers"]?.ToJsonString()}");
    }

    [Fact]
    public void A_difference_names_the_paths_and_schemas_that_changed()
    {
        var before = JsonNode.Parse("""{"paths":{"/a":{"get":{}},"/b":{"get":{}}},"components":{"schemas":{"A":{"type":"string"}}}}""")!;
        var after = JsonNode.Parse("""{"paths":{"/a":{"get":{"deprecated":true}},"/c":{"get":{}}},"components":{"schemas":{"A":{"type":"integer"}}}}""")!;

        var report = Differences(before, after);

        Assert.Contains("added path /c", report);
        Assert.Contains("removed path /b", report);
        Assert.Contains("changed path /a", report);
        Assert.Contains("changed schema A", report);
    }

    /// <summary>Object members in ordinal order at every level, so the comparison and the file do not depend on generation order.</summary>
    private static JsonNode Normalise(JsonNode node) => node switch
    {
        JsonObject o => new JsonObject(o.OrderBy(p => p.Key, StringComparer.Ordinal)
            .Select(p => KeyValuePair.Create(p.Key, p.Value is null ? null : Normalise(p.Value)))),
        JsonArray a => new JsonArray(a.Select(i => i is null ? null : Normalise(i)).ToArray()),
        _ => node.DeepClone(),
    };

    private static string Serialise(JsonNode node) =>
        node.ToJsonString(new JsonSerializerOptions { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }) + "\n";

    private static string Differences(JsonNode before, JsonNode after)
    {
        var lines = new List<string>();
        Compare(before["paths"] as JsonObject, after["paths"] as JsonObject, "path", lines);
        Compare(before["components"]?["schemas"] as JsonObject, after["components"]?["schemas"] as JsonObject, "schema", lines);
        foreach (var section in new[] { "info", "tags", "components", "openapi", "servers" })
        {
            var (b, a) = (before[section], after[section]);
            if (section == "components") { b = Without(b, "schemas"); a = Without(a, "schemas"); }
            if (!JsonNode.DeepEquals(b, a)) lines.Add($"  changed {section}");
        }
        return lines.Count == 0 ? "  (other top-level members)" : string.Join("\n", lines);
    }

    private static void Compare(JsonObject? before, JsonObject? after, string what, List<string> lines)
    {
        before ??= [];
        after ??= [];
        foreach (var (key, value) in after)
        {
            if (!before.TryGetPropertyValue(key, out var old)) lines.Add($"  added {what} {key}");
            else if (!JsonNode.DeepEquals(old, value)) lines.Add($"  changed {what} {key}");
        }
        foreach (var (key, _) in before)
            if (!after.ContainsKey(key)) lines.Add($"  removed {what} {key}");
    }

    private static JsonNode? Without(JsonNode? node, string member)
    {
        if (node is not JsonObject o) return node;
        var copy = (JsonObject)o.DeepClone();
        copy.Remove(member);
        return copy;
    }

    private static string SnapshotPath()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Taskee.Orleans.sln"))) return Path.Combine(dir.FullName, "docs", "api", "openapi-v1.json");
        throw new InvalidOperationException("The repository root (Taskee.Orleans.sln) is not above the test binaries.");
    }
}

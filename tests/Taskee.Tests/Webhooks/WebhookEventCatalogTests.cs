using System.Text.Json;
using System.Text.RegularExpressions;
using Taskee.Api.Webhooks;
using Taskee.Grains.Audit;
using Taskee.Tests.Infrastructure;

namespace Taskee.Tests.Webhooks;

/// <summary>The catalogue of event types: complete against the source tree, and each example a real message body.</summary>
public sealed partial class WebhookEventCatalogTests(WebhookNodeFixture fixture) : IClassFixture<WebhookNodeFixture>
{
    private static readonly string[] SourceFolders = ["api", "grains", "grains.interfaces", "silo"];

    /// <summary>
    /// Dotted lower-case literals that are not audit actions, by first segment: Stripe's event types (which billing
    /// turns into billing.* actions), SCIM attribute paths, the intake's field paths, metric and trace names.
    /// </summary>
    private static readonly HashSet<string> NotActions =
        ["customer", "checkout", "invoice", "charge", "meta", "members", "groups", "manager", "name", "emails", "contact", "taskee", "db", "microsoft", "orleans", "system"];

    /// <summary>Whole literals that are not audit actions: the message type the CRM webhook adapter sends.</summary>
    private static readonly HashSet<string> NotActionLiterals = ["lead.upserted"];

    /// <summary>File names in literals (appsettings.json, 0001_init.sql).</summary>
    private static readonly HashSet<string> FileExtensions = ["json", "sql", "js", "css", "html", "xml", "md", "txt", "csv", "ndjson", "pem", "svg", "png", "ico", "db", "pdf"];

    [Fact]
    public void Every_audit_action_written_in_the_source_is_in_the_catalogue_or_platform_only()
    {
        var root = RepositoryRoot();
        var sources = SourceFolders
            .SelectMany(folder => Directory.EnumerateFiles(Path.Combine(root, folder), "*.cs", SearchOption.AllDirectories))
            .Where(path => !path.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}")
                && !path.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}")
                && !path.EndsWith("WebhookEventCatalog.cs", StringComparison.Ordinal)
                // The data inventory names JSON properties of stored columns (attributes.emails), not audit actions.
                && !path.EndsWith("DataInventory.cs", StringComparison.Ordinal))
            .Select(path => (Path.GetRelativePath(root, path), File.ReadAllText(path)))
            .ToList();
        Assert.True(sources.Count > 100, $"only {sources.Count} source files found under {root}");

        var missing = Uncatalogued(sources);

        Assert.True(missing.Count == 0, "Audit actions written in the source but missing from api/Webhooks/WebhookEventCatalog.cs "
            + "(add each with a description and an example, or to PlatformOnlyActions when only the platform chain records it):\n"
            + string.Join('\n', missing));
    }

    [Fact]
    public void The_scan_reports_an_action_the_catalogue_does_not_know_and_passes_over_what_is_not_an_action()
    {
        var source = """
            var audit = new AuditRecord("org.limit.set", target, null, after);
            var action = before is null ? "member.added" : "member.teleported";
            var meter = new Meter("taskee.webhooks"); var file = "appsettings.json"; var stripe = "invoice.paid"; var plan = "plan.updated";
            """;

        Assert.Equal(["member.teleported (api/Members/Fake.cs)"], Uncatalogued([("api/Members/Fake.cs", source)]));
    }

    [Fact]
    public void Every_example_is_a_whole_message_of_its_type_whose_data_is_a_verifiable_audit_export_line()
    {
        Assert.Equal(WebhookEventCatalog.All.Count, WebhookEventCatalog.Types.Count);
        foreach (var entry in WebhookEventCatalog.All)
        {
            var example = entry.Example;
            Assert.False(string.IsNullOrWhiteSpace(entry.Description), entry.Type);
            Assert.Equal(entry.Type, example.GetProperty("type").GetString());
            Assert.StartsWith("msg_", example.GetProperty("id").GetString());
            Assert.True(DateTimeOffset.TryParse(example.GetProperty("timestamp").GetString(), out _), entry.Type);
            if (entry.Type == WebhookEventCatalog.TestType) continue;

            var data = AuditHash.Parse(example.GetProperty("data").GetRawText());
            Assert.Equal(entry.Type, data.Action);
            Assert.Equal("msg_" + data.Id, example.GetProperty("id").GetString());
            Assert.Equal(data.At, example.GetProperty("timestamp").GetString());
            Assert.Equal(data.Hash, AuditHash.Compute(data));
        }
        Assert.DoesNotContain(WebhookEventCatalog.PlatformOnlyActions, WebhookEventCatalog.Types.Contains);
    }

    [Fact]
    public async Task The_event_types_route_lists_every_type_with_its_description_and_example()
    {
        var org = TestApi.NewOrgId("whc");
        await fixture.Node.Admin().CreateOrganisationAsync(org);
        var client = fixture.Node.Client(await fixture.Node.Admin().CreateKeyAsync(org, "member"));

        var items = (await client.GetJsonAsync("/v1/webhooks/event-types"))["items"]!.AsArray();

        Assert.Equal(WebhookEventCatalog.All.Select(e => e.Type), items.Select(i => i!["type"]!.GetValue<string>()));
        var limitSet = items.Single(i => i!["type"]!.GetValue<string>() == "org.limit.set")!;
        Assert.Contains("limit", limitSet["description"]!.GetValue<string>());
        Assert.Equal(JsonSerializer.Serialize(WebhookEventCatalog.All.Single(e => e.Type == "org.limit.set").Example), limitSet["example"]!.ToJsonString());
    }

    private static List<string> Uncatalogued(IEnumerable<(string Path, string Text)> sources) =>
        sources
            .SelectMany(source => DottedLiteral().Matches(source.Text).Select(m => (Action: m.Groups[1].Value, source.Path)))
            .Where(found => IsActionShaped(found.Action)
                && !WebhookEventCatalog.Types.Contains(found.Action) && !WebhookEventCatalog.PlatformOnlyActions.Contains(found.Action))
            .Select(found => $"{found.Action} ({found.Path.Replace(Path.DirectorySeparatorChar, '/')})")
            .Distinct()
            .Order(StringComparer.Ordinal)
            .ToList();

    private static bool IsActionShaped(string literal) =>
        !NotActionLiterals.Contains(literal) && !NotActions.Contains(literal[..literal.IndexOf('.')]) && !FileExtensions.Contains(literal[(literal.LastIndexOf('.') + 1)..]);

    [GeneratedRegex("\"([a-z][a-z0-9_]*(?:\\.[a-z][a-z0-9_]*)+)\"")]
    private static partial Regex DottedLiteral();

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Taskee.Orleans.sln"))) return dir.FullName;
        throw new InvalidOperationException("The repository root (Taskee.Orleans.sln) is not above the test binaries.");
    }
}

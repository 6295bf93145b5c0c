using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Taskee.Api.Imports;
using Taskee.Tests.Infrastructure;

namespace Taskee.Tests.Imports;

/// <summary>The import engine the <c>import</c> command runs, against a real node: dry run, real run, re-run, bad rows.</summary>
public sealed class CustomerImportTests(NodeFixture fixture) : IClassFixture<NodeFixture>
{
    private readonly HttpClient _admin = fixture.Node.Admin();

    private const string Header = "organisation_id,organisation_name,plan,stripe_customer_id,stripe_subscription_id,member_email,member_role,ai_calls_limit,legacy_column";

    private async Task<(ImportCounts Counts, List<ImportRowResult> Rows)> ImportAsync(string csv, bool dryRun = false)
    {
        var importer = ActivatorUtilities.CreateInstance<CustomerImporter>(fixture.Node.Services);
        var rows = new List<ImportRowResult>();
        var counts = await importer.RunAsync(ImportReader.ReadAsync(new StringReader(csv), ImportFormat.Csv),
            new ImportRun("test-" + Guid.NewGuid().ToString("N")[..8], dryRun), rows.Add);
        return (counts, rows);
    }

    private static string Csv(string a, string b) => string.Join('\n',
        Header,
        $"{a},Zorg {a},pro,cus_{a[^8..]},sub_{a[^8..]},anna@{a}.example,owner,5000,x",
        $"{a},Zorg {a},pro,cus_{a[^8..]},sub_{a[^8..]},bram@{a}.example,member,5000,y",
        $"{b},Facilitair {b},starter,,,cees@{b}.example,admin,,z") + "\n";

    [Fact]
    public async Task A_dry_run_changes_nothing_a_real_run_creates_everything_and_a_second_run_is_unchanged()
    {
        var (a, b) = (TestApi.NewOrgId("imp"), TestApi.NewOrgId("imp"));
        var csv = Csv(a, b);

        var dry = await ImportAsync(csv, dryRun: true);
        Assert.Equal(new ImportCounts(3, 0, 0, 0), dry.Counts);
        Assert.Equal(HttpStatusCode.NotFound, (await _admin.GetAsync($"/v1/organisations/{a}")).StatusCode);

        var real = await ImportAsync(csv);
        Assert.Equal(new ImportCounts(3, 0, 0, 0), real.Counts);
        var organisation = await _admin.GetJsonAsync($"/v1/organisations/{a}");
        Assert.Equal($"Zorg {a}", organisation["name"]!.GetValue<string>());
        Assert.Equal("pro", organisation["plan"]!.GetValue<string>());
        var entitlements = await _admin.GetJsonAsync($"/v1/organisations/{a}/entitlements");
        Assert.Equal(5000, entitlements["limits"]!["ai_calls"]!["limit"]!.GetValue<long>());
        var members = (await _admin.GetJsonAsync($"/v1/organisations/{a}/members"))["items"]!.AsArray()
            .Select(m => (m!["email"]?.GetValue<string>() ?? m["userId"]!.GetValue<string>(), m["role"]!.GetValue<string>())).ToList();
        Assert.Contains(($"anna@{a}.example", "owner"), members);
        Assert.Contains(($"bram@{a}.example", "member"), members);
        var audit = await _admin.AuditEventsAsync(a);
        Assert.Contains(audit, e => e["action"]!.GetValue<string>() == "billing.linked");
        Assert.All(audit, e => Assert.Equal(CustomerImporter.ActorKind, e["actor"]!["kind"]!.GetValue<string>()));

        var again = await ImportAsync(csv);
        Assert.Equal(new ImportCounts(0, 0, 3, 0), again.Counts);
        Assert.Equal(audit.Count, (await _admin.AuditEventsAsync(a)).Count);
    }

    [Fact]
    public async Task Bad_rows_are_rejected_with_their_line_and_reason_and_the_rest_is_imported()
    {
        var a = TestApi.NewOrgId("imp");
        var csv = string.Join('\n',
            Header,
            $"{a},Zorg {a},pro,,,ok@{a}.example,admin,,",
            $"{a},Zorg {a},nosuchplan,,,x@{a}.example,admin,,",
            $"{a},Zorg {a},pro,,,not-an-email,admin,,",
            $"{a},Zorg {a},pro,,,y@{a}.example,emperor,,",
            $"{a},Zorg {a},pro,,,z@{a}.example,member,lots,",
            $"{a},Another name,pro,,,w@{a}.example,member,,",
            $"{a},Zorg {a},pro,,,v@{a}.example,member,,") + "\n";

        var (counts, rows) = await ImportAsync(csv);

        Assert.Equal(2, counts.Created + counts.Updated + counts.Unchanged);
        Assert.Equal(5, counts.Rejected);
        var rejected = rows.Where(r => r.Outcome == ImportOutcome.Rejected).ToDictionary(r => r.Line, r => r.Reason!);
        Assert.Equal([3L, 4L, 5L, 6L, 7L], rejected.Keys.Order());
        Assert.Contains("nosuchplan", rejected[3]);
        Assert.Contains("line 2", rejected[7]);
        Assert.All(rejected.Values, reason => Assert.DoesNotContain("Exception", reason));
        var members = await _admin.GetStringAsync($"/v1/organisations/{a}/members");
        Assert.Contains($"v@{a}.example", members);
        Assert.DoesNotContain($"y@{a}.example", members);
    }
}

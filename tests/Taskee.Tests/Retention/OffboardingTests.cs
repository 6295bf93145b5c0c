using System.IO.Compression;
using System.Net;
using System.Text.Json.Nodes;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Taskee.Api.Infrastructure;
using Taskee.Api.Offboarding;
using Taskee.Grains.Audit;
using Taskee.Grains.Interfaces;
using Taskee.Grains.Storage;
using Taskee.Silo.Storage;
using Taskee.Tests.Infrastructure;

namespace Taskee.Tests.Retention;

public sealed class OffboardingTests(RetentionNodeFixture fixture) : IClassFixture<RetentionNodeFixture>
{
    private const string Job = "delete-offboarded-organisations";
    private readonly HttpClient _admin = fixture.Node.Admin();

    private async Task<(string Id, HttpClient Owner)> OrganisationWithDataAsync()
    {
        var id = TestApi.NewOrgId("off");
        await _admin.CreateOrganisationAsync(id, "pro");
        await _admin.PostAsync($"/v1/organisations/{id}/members", TestApi.Json(new { userId = "ann", email = $"ann@{id}.example", role = "member" }));
        await _admin.PutAsync($"/v1/organisations/{id}/features/sso", TestApi.Json(new { enabled = true }));
        var owner = fixture.Node.Client(await _admin.CreateKeyAsync(id, "owner"));
        await fixture.Node.Client(await _admin.CreateKeyAsync(id, "usage")).UsageAsync(id, "ai_calls", "consume", 3);
        return (id, owner);
    }

    private static Task<HttpResponseMessage> OffboardAsync(HttpClient client, string orgId, string? confirm) =>
        client.PostAsync($"/v1/organisations/{orgId}/offboard", TestApi.Json(new { confirm }));

    /// <summary>Rows of the organisation in every table that keys by it, by table; empty when nothing is left.</summary>
    private async Task<Dictionary<string, long>> RowsOfAsync(string orgId)
    {
        var dialect = fixture.Node.Services.GetRequiredService<SqlDialect>();
        await using var connection = await dialect.OpenAsync(CancellationToken.None);
        var tables = await connection.QueryAsync<string>(fixture.Node.Database.Provider == "postgres"
            ? "SELECT table_name FROM information_schema.columns WHERE column_name = 'org_id' AND table_schema = current_schema()"
            : "SELECT m.name FROM sqlite_master m JOIN pragma_table_info(m.name) p WHERE m.type = 'table' AND p.name = 'org_id'");
        var counts = new Dictionary<string, long>();
        foreach (var table in tables)
            counts[table] = await connection.ExecuteScalarAsync<long>($"SELECT COUNT(*) FROM {table} WHERE org_id = @orgId", new { orgId });
        counts["organisations"] = await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM organisations WHERE id = @orgId", new { orgId });
        counts["audit_chains"] = await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM audit_chains WHERE chain_id = @orgId", new { orgId });
        counts["orleans_grain_state"] = await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM orleans_grain_state WHERE grain_id_ext = @orgId", new { orgId });
        return counts.Where(c => c.Value > 0).ToDictionary();
    }

    [Fact]
    public async Task Offboarding_blocks_the_organisation_offers_its_export_for_the_window_then_deletes_it_and_leaves_others_alone()
    {
        var (id, owner) = await OrganisationWithDataAsync();
        var (other, _) = await OrganisationWithDataAsync();
        var otherEvents = (await _admin.AuditEventsAsync(other)).Count;
        await fixture.Node.FlushAsync();

        var started = await OffboardAsync(owner, id, id);
        Assert.Equal(HttpStatusCode.Accepted, started.StatusCode);
        var body = await started.ReadJsonAsync();
        Assert.Equal("offboarding", body["status"]!.GetValue<string>());
        Assert.Equal(fixture.Clock.GetUtcNow().AddDays(30), body["deleteAfter"]!.GetValue<DateTimeOffset>(), TimeSpan.FromSeconds(1));

        var usageKey = fixture.Node.Client(await _admin.CreateKeyAsync(other, "usage"));
        var denied = await fixture.Node.Client(TaskeeNode.AdminKey).UsageAsync(id, "ai_calls", "check", 1);
        Assert.False(denied["allowed"]!.GetValue<bool>());
        Assert.Equal(UsageReason.OrganisationOffboarding, denied["reason"]!.GetValue<string>());
        Assert.True((await usageKey.UsageAsync(other, "ai_calls", "consume", 1))["allowed"]!.GetValue<bool>());

        fixture.Advance(TimeSpan.FromDays(29));
        await fixture.RunJobAsync(Job);
        var download = await owner.GetAsync(body["export"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.OK, download.StatusCode);
        Assert.Equal("application/zip", download.Content.Headers.ContentType?.MediaType);
        using var zip = new ZipArchive(await download.Content.ReadAsStreamAsync());
        Assert.Equal(["audit.ndjson", "invoices.json", "members.json", "settings.json", "usage.json"], zip.Entries.Select(e => e.FullName).Order());
        var auditLines = Lines(zip.GetEntry("audit.ndjson")!);
        Assert.True(AuditCheckpointVerifier.Verify(auditLines).IsIntact);
        Assert.Equal("org.offboarding.started", AuditHash.Parse(auditLines[^1]).Action);
        Assert.Contains($"ann@{id}.example", Text(zip.GetEntry("members.json")!));
        Assert.Equal(3, JsonNode.Parse(Text(zip.GetEntry("usage.json")!))!["ai_calls"]!["used"]!.GetValue<long>());

        fixture.Advance(TimeSpan.FromDays(2));
        await fixture.RunJobAsync(Job);

        await (await _admin.GetAsync($"/v1/organisations/{id}")).AssertProblemAsync(HttpStatusCode.NotFound);
        var deleted = await _admin.GetJsonAsync($"/v1/organisations/{id}/offboard");
        Assert.Equal("deleted", deleted["status"]!.GetValue<string>());
        var finalHead = AuditHash.Parse(auditLines[^1]).Hash;
        Assert.Equal(finalHead, deleted["finalHeadHash"]!.GetValue<string>());
        var receipt = (await _admin.GetJsonAsync("/v1/audit?limit=1000"))["items"]!.AsArray()
            .Last(e => e!["action"]!.GetValue<string>() == "org.deleted" && e["target"]!.GetValue<string>() == $"organisations/{id}")!;
        Assert.Equal(finalHead, receipt["after"]!["finalHeadHash"]!.GetValue<string>());

        Assert.Equal(new Dictionary<string, long> { ["organisation_tombstones"] = 1 }, await RowsOfAsync(id));
        Assert.Equal(HttpStatusCode.OK, (await _admin.GetAsync($"/v1/organisations/{other}")).StatusCode);
        Assert.Equal(otherEvents + 1, (await _admin.AuditEventsAsync(other)).Count); // its usage key's creation
    }

    [Fact]
    public async Task An_offboarding_cancelled_within_the_window_unblocks_and_is_never_deleted()
    {
        var (id, owner) = await OrganisationWithDataAsync();
        Assert.Equal(HttpStatusCode.Accepted, (await OffboardAsync(owner, id, id)).StatusCode);
        await (await OffboardAsync(owner, id, id)).AssertProblemAsync(HttpStatusCode.Conflict);

        Assert.Equal(HttpStatusCode.OK, (await owner.DeleteAsync($"/v1/organisations/{id}/offboard")).StatusCode);
        var check = await fixture.Node.Client(TaskeeNode.AdminKey).UsageAsync(id, "ai_calls", "check", 1);
        Assert.True(check["allowed"]!.GetValue<bool>());
        await (await owner.GetAsync($"/v1/organisations/{id}/offboard/export")).AssertProblemAsync(HttpStatusCode.NotFound);

        fixture.Advance(TimeSpan.FromDays(31));
        await fixture.RunJobAsync(Job);
        Assert.Equal(HttpStatusCode.OK, (await _admin.GetAsync($"/v1/organisations/{id}")).StatusCode);
        var actions = (await _admin.AuditEventsAsync(id)).Select(e => e["action"]!.GetValue<string>()).ToList();
        Assert.Equal(["org.offboarding.started", "org.offboarding.cancelled"], actions.TakeLast(2));
    }

    [Fact]
    public async Task Another_organisation_cannot_offboard_or_download_and_an_admin_who_is_not_owner_cannot_offboard()
    {
        var (a, ownerOfA) = await OrganisationWithDataAsync();
        var (b, ownerOfB) = await OrganisationWithDataAsync();
        Assert.Equal(HttpStatusCode.Accepted, (await OffboardAsync(ownerOfA, a, a)).StatusCode);

        await (await OffboardAsync(ownerOfB, a, a)).AssertProblemAsync(HttpStatusCode.NotFound);
        await (await ownerOfB.GetAsync($"/v1/organisations/{a}/offboard/export")).AssertProblemAsync(HttpStatusCode.NotFound);
        await (await ownerOfB.GetAsync($"/v1/organisations/{a}/offboard")).AssertProblemAsync(HttpStatusCode.NotFound);
        await (await ownerOfB.DeleteAsync($"/v1/organisations/{a}/offboard")).AssertProblemAsync(HttpStatusCode.NotFound);

        var adminOfB = fixture.Node.Client(await _admin.CreateKeyAsync(b, "admin"));
        await (await OffboardAsync(adminOfB, b, b)).AssertProblemAsync(HttpStatusCode.Forbidden);
        await (await ownerOfB.GetAsync($"/v1/organisations/{b}/offboard")).AssertProblemAsync(HttpStatusCode.NotFound);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("some-other-org")]
    public async Task Offboarding_without_the_organisation_id_as_confirmation_is_a_400_and_changes_nothing(string? confirm)
    {
        var (id, owner) = await OrganisationWithDataAsync();
        var events = (await _admin.AuditEventsAsync(id)).Count;

        await (await OffboardAsync(owner, id, confirm)).AssertProblemAsync(HttpStatusCode.BadRequest);

        await (await owner.GetAsync($"/v1/organisations/{id}/offboard")).AssertProblemAsync(HttpStatusCode.NotFound);
        Assert.Equal(events, (await _admin.AuditEventsAsync(id)).Count);
    }

    [Fact]
    public async Task Offboarding_is_refused_while_a_stripe_subscription_is_active()
    {
        var (id, owner) = await OrganisationWithDataAsync();
        var now = fixture.Clock.GetUtcNow();
        var subscription = new BillingSubscription("sub_offboard", "active", "price_pro", now, now, now.AddMonths(1), false, null, null, now, 1, "evt_offboard");
        var grains = fixture.Node.Services.GetRequiredService<OrganisationGrains>();
        await grains.ChangeAsync(id, null, o => new OrganisationChange(o with { Billing = new OrganisationBilling { CustomerId = $"cus_{id}", Subscription = subscription } },
            _ => new AuditRecord("billing.linked", $"organisations/{id}/billing", null, "{}")), new ChangeContext(AuditActor.System, null, null));

        var refused = await (await OffboardAsync(owner, id, id)).AssertProblemAsync(HttpStatusCode.Conflict);
        Assert.Contains("sub_offboard", refused["detail"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("00:05:00")]
    [InlineData("400.00:00:00")]
    public void An_offboarding_window_outside_a_day_to_a_year_is_rejected_naming_the_setting(string window)
    {
        var result = new OffboardingOptionsValidator().Validate(null, new OffboardingOptions { OffboardingWindow = TimeSpan.Parse(window) });

        Assert.True(result.Failed);
        Assert.Contains("Privacy:OffboardingWindow", result.FailureMessage);
        Assert.True(new OffboardingOptionsValidator().Validate(null, new OffboardingOptions()).Succeeded);
    }

    private static string Text(ZipArchiveEntry entry)
    {
        using var reader = new StreamReader(entry.Open());
        return reader.ReadToEnd();
    }

    private static string[] Lines(ZipArchiveEntry entry) => Text(entry).Split('\n', StringSplitOptions.RemoveEmptyEntries);
}

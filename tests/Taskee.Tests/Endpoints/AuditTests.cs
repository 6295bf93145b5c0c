using System.Net;
using Taskee.Silo.Commands;
using Taskee.Tests.Infrastructure;

namespace Taskee.Tests.Endpoints;

public sealed class AuditTests(NodeFixture fixture) : IClassFixture<NodeFixture>
{
    private readonly HttpClient _admin = fixture.Node.Admin();

    private async Task<string> OrganisationWithHistoryAsync(string plan = "enterprise")
    {
        var id = TestApi.NewOrgId();
        await _admin.CreateOrganisationAsync(id, plan);
        await _admin.PatchAsync($"/v1/organisations/{id}", TestApi.Json(new { name = "Zorg \"Noord\", afdeling =1" }));
        await _admin.PutAsync($"/v1/organisations/{id}/limits/seats", TestApi.Json(new { limit = 40 }));
        await _admin.PutAsync($"/v1/organisations/{id}/features/sso", TestApi.Json(new { enabled = false }));
        await _admin.CreateKeyAsync(id, "usage");
        return id;
    }

    [Fact]
    public async Task Each_successful_mutation_writes_one_linked_event_with_actor_and_request_id()
    {
        var id = await OrganisationWithHistoryAsync();

        var events = await _admin.AuditEventsAsync(id);

        Assert.Equal(["org.created", "org.renamed", "org.limit.set", "org.feature.set", "apikey.created"],
            events.Select(e => e["action"]!.GetValue<string>()));
        Assert.Equal(Enumerable.Range(1, 5).Select(i => (long)i), events.Select(e => e["seq"]!.GetValue<long>()));
        for (var i = 1; i < events.Count; i++)
            Assert.Equal(events[i - 1]["hash"]!.GetValue<string>(), events[i]["prevHash"]!.GetValue<string>());
        Assert.All(events, e => Assert.Equal("apiKey", e["actor"]!["kind"]!.GetValue<string>()));
        Assert.All(events, e => Assert.False(string.IsNullOrEmpty(e["requestId"]?.GetValue<string>())));
    }

    [Fact]
    public async Task The_audit_list_pages_with_a_cursor()
    {
        var id = await OrganisationWithHistoryAsync();

        var first = await _admin.GetJsonAsync($"/v1/organisations/{id}/audit?limit=2");
        var second = await _admin.GetJsonAsync($"/v1/organisations/{id}/audit?limit=2&after={first["next"]!.GetValue<string>()}");

        Assert.Equal(2, first["items"]!.AsArray().Count);
        Assert.Equal(3, second["items"]!.AsArray()[0]!["seq"]!.GetValue<long>());
    }

    [Theory]
    [InlineData("?after=abc")]
    [InlineData("?limit=0")]
    [InlineData("?limit=5000")]
    public async Task A_bad_audit_cursor_or_limit_is_a_400(string query)
    {
        var id = await OrganisationWithHistoryAsync();
        var response = await _admin.GetAsync($"/v1/organisations/{id}/audit{query}");
        await response.AssertProblemAsync(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task An_ndjson_export_verifies_offline_and_a_tampered_one_fails_naming_the_event()
    {
        var id = await OrganisationWithHistoryAsync();
        var export = await _admin.GetAsync($"/v1/organisations/{id}/audit/export?format=ndjson");
        Assert.Equal(HttpStatusCode.OK, export.StatusCode);
        Assert.Equal("application/x-ndjson", export.Content.Headers.ContentType?.MediaType);
        var lines = (await export.Content.ReadAsStringAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(5, lines.Length);

        var file = Path.GetTempFileName();
        await File.WriteAllLinesAsync(file, lines);
        Assert.Equal(0, await SiloCommands.Find("verify-audit")!([file]));

        var tamperedEventId = System.Text.Json.Nodes.JsonNode.Parse(lines[2])!["id"]!.GetValue<string>();
        Assert.Contains("\"seats\":40}", lines[2]);
        lines[2] = lines[2].Replace("\"seats\":40}", "\"seats\":4000}");
        await File.WriteAllLinesAsync(file, lines);
        var stderr = new StringWriter();
        var original = Console.Error;
        Console.SetError(stderr);
        try
        {
            Assert.Equal(1, await SiloCommands.Find("verify-audit")!([file]));
        }
        finally
        {
            Console.SetError(original);
        }
        Assert.Contains(tamperedEventId, stderr.ToString());
        Assert.Contains("line 3", stderr.ToString());
    }

    [Fact]
    public async Task A_deleted_event_breaks_the_chain()
    {
        var id = await OrganisationWithHistoryAsync();
        var lines = (await _admin.GetStringAsync($"/v1/organisations/{id}/audit/export")).Split('\n', StringSplitOptions.RemoveEmptyEntries).ToList();
        lines.RemoveAt(1);

        var result = Taskee.Grains.Audit.AuditChainVerifier.Verify(lines);

        Assert.False(result.IsIntact);
        Assert.Equal(2, result.BrokenAtLine);
    }

    [Fact]
    public async Task A_csv_export_has_a_header_and_one_row_per_event_with_quoted_fields()
    {
        var id = await OrganisationWithHistoryAsync();

        var response = await _admin.GetAsync($"/v1/organisations/{id}/audit/export?format=csv");

        Assert.Equal("text/csv", response.Content.Headers.ContentType?.MediaType);
        var text = await response.Content.ReadAsStringAsync();
        var rows = text.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("id,orgId,seq,at,", rows[0]);
        Assert.Equal(6, rows.Length);
        var renamed = Csv.ParseRecord(rows.Single(r => r.Contains("\"org.renamed\"")));
        Assert.Equal(14, renamed.Count);
        Assert.Equal("org.renamed", renamed[6]);
        var after = System.Text.Json.Nodes.JsonNode.Parse(renamed[9])!;
        Assert.Equal("Zorg \"Noord\", afdeling =1", after["name"]!.GetValue<string>());
    }

    [Fact]
    public async Task An_export_filtered_by_time_holds_only_that_window()
    {
        var id = await OrganisationWithHistoryAsync();
        var future = DateTimeOffset.UtcNow.AddDays(1).ToString("O");

        var text = await _admin.GetStringAsync($"/v1/organisations/{id}/audit/export?from={Uri.EscapeDataString(future)}");

        Assert.Equal("", text);
    }

    [Theory]
    [InlineData("?format=xml")]
    [InlineData("?from=2026-02-01T00:00:00Z&to=2026-01-01T00:00:00Z")]
    [InlineData("?from=yesterday")]
    public async Task A_bad_export_request_is_a_400(string query)
    {
        var id = await OrganisationWithHistoryAsync();
        var response = await _admin.GetAsync($"/v1/organisations/{id}/audit/export{query}");
        await response.AssertProblemAsync(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Export_needs_the_audit_export_feature_for_an_organisation_key()
    {
        var pro = await OrganisationWithHistoryAsync("pro");
        var enterprise = await OrganisationWithHistoryAsync("enterprise");
        var proKey = fixture.Node.Client(await _admin.CreateKeyAsync(pro, "admin"));
        var enterpriseKey = fixture.Node.Client(await _admin.CreateKeyAsync(enterprise, "admin"));

        await (await proKey.GetAsync($"/v1/organisations/{pro}/audit/export")).AssertProblemAsync(HttpStatusCode.Forbidden);
        Assert.Equal(HttpStatusCode.OK, (await enterpriseKey.GetAsync($"/v1/organisations/{enterprise}/audit/export")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await proKey.GetAsync($"/v1/organisations/{pro}/audit")).StatusCode);
    }

    [Fact]
    public async Task A_failed_mutation_writes_no_audit_event()
    {
        var id = await OrganisationWithHistoryAsync();
        var before = (await _admin.AuditEventsAsync(id)).Count;

        await _admin.PutAsync($"/v1/organisations/{id}/limits/seats", TestApi.Json("""{"limit":-5}"""));
        await _admin.PatchAsync($"/v1/organisations/{id}", TestApi.Json("""{"plan":"nope"}"""));
        await _admin.PostAsync($"/v1/organisations/{id}/api-keys", TestApi.Json("""{"name":"k","scopes":["root"]}"""));
        await _admin.DeleteAsync($"/v1/organisations/{id}/api-keys/nosuchkey");

        Assert.Equal(before, (await _admin.AuditEventsAsync(id)).Count);
    }
}

using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Taskee.Tests.Infrastructure;

namespace Taskee.Tests.Imports;

/// <summary><c>POST /v1/imports</c> and <c>GET /v1/imports/{importId}</c>: the durable job around the import engine, on a real node.</summary>
public sealed class ImportJobTests(NodeFixture fixture) : IClassFixture<NodeFixture>
{
    private readonly HttpClient _admin = fixture.Node.Admin();

    [Fact]
    public async Task An_uploaded_file_is_imported_as_a_job_with_counts_progress_rejected_rows_and_a_report_and_a_second_upload_changes_nothing()
    {
        var prefix = TestApi.NewOrgId("job");
        var csv = ImportJobs.Generate(prefix, organisations: 30, members: 3) + $"{prefix}-x,Broken,nosuchplan,,,a@{prefix}.example,member,\n";

        var id = await _admin.SubmitAsync(csv);
        var job = await _admin.WaitAsync(id);

        Assert.Equal("completed", job["status"]!.GetValue<string>());
        Assert.Equal((90L, 0L, 0L, 1L), ImportJobs.Counts(job));
        Assert.Equal(91, job["progress"]!["rowsDone"]!.GetValue<long>());
        Assert.Equal(91, job["progress"]!["rowsTotal"]!.GetValue<long>());
        Assert.Equal(100, job["progress"]!["percent"]!.GetValue<int>());
        var error = Assert.Single(job["errors"]!.AsArray())!;
        Assert.Equal(92, error["line"]!.GetValue<long>());
        Assert.Contains("plan 'nosuchplan' is not a known plan", error["reason"]!.GetValue<string>());

        var members = await _admin.GetStringAsync($"/v1/organisations/{prefix}-7/members");
        Assert.Contains($"user2@{prefix}-7.example", members);
        var audit = await _admin.AuditEventsAsync($"{prefix}-7");
        Assert.All(audit, e => Assert.Equal(id, e["actor"]!["id"]!.GetValue<string>()));
        Assert.Single(audit, e => e["action"]!.GetValue<string>() == "billing.linked");

        var report = await _admin.GetAsync(job["report"]!.GetValue<string>());
        Assert.Equal("text/csv", report.Content.Headers.ContentType?.MediaType);
        var lines = (await report.Content.ReadAsStringAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("line,outcome,reason", lines[0]);
        Assert.Equal(92, lines.Length);
        Assert.Equal("2,created,", lines[1]);
        Assert.StartsWith("92,rejected,\"plan 'nosuchplan'", lines[^1]);

        Assert.Equal(["import.queued", "import.completed"],
            (await _admin.PlatformAuditAsync()).Where(e => e.Target == $"imports/{id}").Select(e => e.Action));

        var again = await _admin.WaitAsync(await _admin.SubmitAsync(csv));
        Assert.Equal((0L, 0L, 90L, 1L), ImportJobs.Counts(again));
        Assert.Equal(audit.Count, (await _admin.AuditEventsAsync($"{prefix}-7")).Count);
    }

    [Fact]
    public async Task A_dry_run_job_reports_what_would_change_and_changes_nothing()
    {
        var prefix = TestApi.NewOrgId("dry");
        var job = await _admin.WaitAsync(await _admin.SubmitAsync(ImportJobs.Generate(prefix, 4, 2), dryRun: true));

        Assert.True(job["dryRun"]!.GetValue<bool>());
        Assert.Equal((8L, 0L, 0L, 0L), ImportJobs.Counts(job));
        Assert.Equal(HttpStatusCode.NotFound, (await _admin.GetAsync($"/v1/organisations/{prefix}-0")).StatusCode);
    }

    [Fact]
    public async Task Rows_of_one_organisation_are_applied_in_file_order_while_organisations_run_in_parallel()
    {
        // The same member three times: the last row decides its role, whichever worker the organisation is on.
        var prefix = TestApi.NewOrgId("ord");
        var csv = new StringBuilder(ImportJobs.Header).Append('\n');
        for (var o = 0; o < 20; o++)
            foreach (var role in new[] { "member", "admin", "auditor" })
                csv.Append($"{prefix}-{o},Customer {o},pro,,,same@{prefix}-{o}.example,{role},\n");

        var job = await _admin.WaitAsync(await _admin.SubmitAsync(csv.ToString()));

        Assert.Equal((20L, 40L, 0L, 0L), ImportJobs.Counts(job));
        for (var o = 0; o < 20; o++)
        {
            var member = (await _admin.GetJsonAsync($"/v1/organisations/{prefix}-{o}/members"))["items"]!.AsArray().Single()!;
            Assert.Equal("auditor", member["role"]!.GetValue<string>());
        }
    }

    [Theory]
    [InlineData("text/plain", "organisation_id\n", HttpStatusCode.UnsupportedMediaType)]
    [InlineData("text/csv", "organisation_id,plan\nx,pro\n", HttpStatusCode.BadRequest)]
    [InlineData("text/csv", "", HttpStatusCode.BadRequest)]
    [InlineData("text/csv", ImportJobs.Header + "\n\n", HttpStatusCode.BadRequest)]
    [InlineData("application/x-ndjson", "\n \n", HttpStatusCode.BadRequest)]
    public async Task A_file_that_cannot_be_imported_is_refused_up_front_with_a_problem_and_no_job(string contentType, string body, HttpStatusCode status)
    {
        var queued = (await _admin.PlatformAuditAsync()).Count(e => e.Action == "import.queued");
        var content = new StringContent(body, Encoding.UTF8);
        content.Headers.ContentType = new MediaTypeHeaderValue(contentType);

        var response = await _admin.PostAsync("/v1/imports", content);

        var problem = await response.AssertProblemAsync(status);
        Assert.DoesNotContain("Exception", problem.ToJsonString());
        if (status == HttpStatusCode.BadRequest) Assert.NotNull(problem["errors"]!["file"]);
        Assert.Equal(queued, (await _admin.PlatformAuditAsync()).Count(e => e.Action == "import.queued"));
    }

    [Fact]
    public async Task A_bad_dry_run_flag_and_an_unknown_import_are_problems()
    {
        var flag = await _admin.PostAsync("/v1/imports?dryRun=maybe", ImportJobs.Csv(ImportJobs.Generate("x", 1, 1)));
        Assert.NotNull((await flag.AssertProblemAsync(HttpStatusCode.BadRequest))["errors"]!["dryRun"]);
        await (await _admin.GetAsync("/v1/imports/imp_nosuchimport")).AssertProblemAsync(HttpStatusCode.NotFound);
        await (await _admin.GetAsync("/v1/imports/imp_nosuchimport/report")).AssertProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task A_caller_of_an_organisation_can_neither_submit_an_import_nor_read_one()
    {
        var orgA = TestApi.NewOrgId("tenant");
        await _admin.CreateOrganisationAsync(orgA);
        var owner = fixture.Node.Client(await _admin.CreateKeyAsync(orgA, "owner"));
        var victim = TestApi.NewOrgId("victim");
        var id = await _admin.SubmitAsync(ImportJobs.Generate(victim, 1, 1));
        await _admin.WaitAsync(id);

        // An import of organisation B's rows by A's owner would change B: refused before anything is stored.
        var submit = await owner.PostAsync("/v1/imports", ImportJobs.Csv($"{ImportJobs.Header}\n{victim}-0,Taken over,starter,,,evil@{orgA}.example,owner,\n"));
        await submit.AssertProblemAsync(HttpStatusCode.Forbidden);
        await (await owner.GetAsync($"/v1/imports/{id}")).AssertProblemAsync(HttpStatusCode.Forbidden);
        await (await owner.GetAsync($"/v1/imports/{id}/report")).AssertProblemAsync(HttpStatusCode.Forbidden);
        Assert.DoesNotContain($"evil@{orgA}.example", await _admin.GetStringAsync($"/v1/organisations/{victim}-0/members"));
        Assert.Equal($"Customer 0", (await _admin.GetJsonAsync($"/v1/organisations/{victim}-0"))["name"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_file_over_Import_MaxFileBytes_is_refused_with_413_and_nothing_stored()
    {
        await using var database = await TestDatabase.CreateAsync();
        await using var node = await new TaskeeNode(database, new Dictionary<string, string?> { ["Import:MaxFileBytes"] = "2048" }).StartAsync();
        var admin = node.Admin();
        var prefix = TestApi.NewOrgId("big");

        var response = await admin.PostAsync("/v1/imports", ImportJobs.Csv(ImportJobs.Generate(prefix, 20, 2)));

        await response.AssertProblemAsync(HttpStatusCode.RequestEntityTooLarge);
        Assert.Equal(HttpStatusCode.Accepted, (await admin.PostAsync("/v1/imports", ImportJobs.Csv(ImportJobs.Generate(prefix, 1, 1)))).StatusCode);
    }
}

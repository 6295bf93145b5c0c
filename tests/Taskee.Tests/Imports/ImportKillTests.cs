using System.Net.Http.Headers;
using Taskee.Silo.Commands;
using Taskee.Tests.Infrastructure;

namespace Taskee.Tests.Imports;

/// <summary>The import job survives kill -9 of the silo running it: a real silo process, killed mid-import and started again.</summary>
public sealed class ImportKillTests
{
    private const int Organisations = 1000;
    private const int MembersEach = 4;
    private const int Rows = Organisations * MembersEach;

    // A short claim so the restarted silo resumes within seconds instead of the default 30.
    private static readonly string[] Settings = ["--Import:ClaimLease=00:00:03", "--Import:PollInterval=00:00:00.200"];

    [Fact]
    public async Task An_import_killed_mid_way_resumes_when_the_silo_restarts_and_completes_exactly_once()
    {
        await using var database = await TestDatabase.CreateAsync();
        var prefix = TestApi.NewOrgId("kill");
        string id;
        long doneAtKill;
        await using (var silo = await SiloProcess.StartAsync(database, Settings))
        {
            using var admin = Admin(silo);
            id = await admin.SubmitAsync(ImportJobs.Generate(prefix, Organisations, MembersEach));
            var deadline = DateTime.UtcNow.AddSeconds(60);
            do
            {
                await Task.Delay(25);
                doneAtKill = (await admin.GetJsonAsync($"/v1/imports/{id}"))["progress"]!["rowsDone"]!.GetValue<long>();
            } while (doneAtKill < Rows / 10 && DateTime.UtcNow < deadline);
        } // disposing kills the process (SIGKILL): no shutdown, no last checkpoint
        Assert.InRange(doneAtKill, Rows / 10, Rows - 1);

        await using var restarted = await SiloProcess.StartAsync(database, Settings);
        using var again = Admin(restarted);
        var job = await again.WaitAsync(id, TimeSpan.FromMinutes(3));

        Assert.Equal("completed", job["status"]!.GetValue<string>());
        var (created, updated, unchanged, rejected) = ImportJobs.Counts(job);
        Assert.Equal((0L, 0L), (updated, rejected));
        // Rows applied but not yet checkpointed when the silo died are applied again and found unchanged (at most a
        // second of rows); every row is counted once.
        Assert.Equal(Rows, created + unchanged);
        Assert.True(created >= doneAtKill, $"created {created} < {doneAtKill} rows done before the kill");

        var report = (await again.GetStringAsync($"/v1/imports/{id}/report")).Split('\n', StringSplitOptions.RemoveEmptyEntries).Skip(1)
            .Select(l => long.Parse(l.Split(',')[0])).ToList();
        Assert.Equal(Enumerable.Range(2, Rows).Select(l => (long)l), report);

        for (var o = 0; o < Organisations; o++)
        {
            var orgId = $"{prefix}-{o}";
            var members = (await again.GetJsonAsync($"/v1/organisations/{orgId}/members"))["items"]!.AsArray();
            Assert.Equal(MembersEach, members.Count);
            var actions = (await again.AuditEventsAsync(orgId)).Select(e => e["action"]!.GetValue<string>()).Order().ToList();
            Assert.Equal(["billing.linked", .. Enumerable.Repeat("member.added", MembersEach), "org.created"], actions);
        }

        foreach (var o in new[] { 0, Organisations / 2, Organisations - 1 })
        {
            var file = Path.GetTempFileName();
            await File.WriteAllTextAsync(file, await again.GetStringAsync($"/v1/organisations/{prefix}-{o}/audit/export?format=ndjson"));
            Assert.Equal(0, await SiloCommands.Find("verify-audit")!([file]));
        }
    }

    private static HttpClient Admin(SiloProcess silo)
    {
        var client = silo.Client();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", TaskeeNode.AdminKey);
        return client;
    }
}

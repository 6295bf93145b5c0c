using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Taskee.Tests.Infrastructure;

namespace Taskee.Tests.Imports;

/// <summary>Submitting import files to <c>POST /v1/imports</c> and following the job, and generating files to import.</summary>
public static class ImportJobs
{
    public const string Header = "organisation_id,organisation_name,plan,stripe_customer_id,stripe_subscription_id,member_email,member_role,ai_calls_limit";

    public static StringContent Csv(string csv) => new(csv, Encoding.UTF8, new MediaTypeHeaderValue("text/csv"));

    /// <summary><paramref name="organisations"/> organisations (ids <c>{prefix}-{n}</c>) with <paramref name="members"/> members each.</summary>
    public static string Generate(string prefix, int organisations, int members)
    {
        var csv = new StringBuilder(Header).Append('\n');
        for (var o = 0; o < organisations; o++)
        {
            var id = $"{prefix}-{o}";
            for (var m = 0; m < members; m++)
                csv.Append($"{id},Customer {o},pro,cus_{prefix}{o},sub_{prefix}{o},user{m}@{id}.example,{(m == 0 ? "owner" : "member")},1000\n");
        }
        return csv.ToString();
    }

    public static async Task<string> SubmitAsync(this HttpClient admin, string csv, bool dryRun = false)
    {
        var response = await admin.PostAsync($"/v1/imports{(dryRun ? "?dryRun=true" : "")}", Csv(csv));
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var body = await response.ReadJsonAsync();
        Assert.Equal("queued", body["status"]!.GetValue<string>());
        var id = body["id"]!.GetValue<string>();
        Assert.Equal($"/v1/imports/{id}", response.Headers.Location?.OriginalString);
        return id;
    }

    /// <summary>Polls the job until it ended (completed or failed) and returns its last state.</summary>
    public static async Task<JsonNode> WaitAsync(this HttpClient admin, string importId, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(60));
        while (true)
        {
            var job = await admin.GetJsonAsync($"/v1/imports/{importId}");
            if (job["status"]!.GetValue<string>() is "completed" or "failed") return job;
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"Import {importId} did not end in time: {job.ToJsonString()}");
            await Task.Delay(100);
        }
    }

    public static (long Created, long Updated, long Unchanged, long Rejected) Counts(JsonNode job)
    {
        var c = job["counts"]!;
        return (c["created"]!.GetValue<long>(), c["updated"]!.GetValue<long>(), c["unchanged"]!.GetValue<long>(), c["rejected"]!.GetValue<long>());
    }

    /// <summary>The platform chain's events as (action, target), oldest first.</summary>
    public static async Task<List<(string Action, string Target)>> PlatformAuditAsync(this HttpClient admin)
    {
        var events = new List<(string, string)>();
        string? after = null;
        do
        {
            var page = await admin.GetJsonAsync("/v1/audit?limit=1000" + (after is null ? "" : $"&after={after}"));
            events.AddRange(page["items"]!.AsArray().Select(e => (e!["action"]!.GetValue<string>(), e["target"]!.GetValue<string>())));
            after = page["next"]?.GetValue<string>();
        } while (after is not null);
        return events;
    }
}

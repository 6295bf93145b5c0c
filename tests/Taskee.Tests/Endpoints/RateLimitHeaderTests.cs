using System.Net;
using System.Text.RegularExpressions;
using Taskee.Tests.Infrastructure;

namespace Taskee.Tests.Endpoints;

/// <summary>The IETF RateLimit-Policy / RateLimit headers (docs/identity.md, "Rate limits") on every rate-limited answer.</summary>
public sealed partial class RateLimitHeaderTests
{
    [Fact]
    public async Task Admin_answers_say_the_policy_and_what_is_left_counting_down_to_a_429_with_retry_after()
    {
        var (database, node, id, client) = await StarterOrganisationAsync(new()
        {
            ["RateLimits:Plans:starter:AdminPerSecond"] = "1", // a bucket of 2, the organisation's of 8
            ["RateLimits:Plans:starter:UsagePerSecond"] = "50",
        });
        await using var _ = database;
        await using var __ = node;
        await UntilThePlanIsKnownAsync(client, id, usage: true, "\"key\";q=100;w=2, \"org\";q=400;w=2");

        var answers = new List<HttpResponseMessage>();
        while (answers.Count < 10 && answers.LastOrDefault()?.StatusCode != HttpStatusCode.TooManyRequests)
            answers.Add(await client.GetAsync($"/v1/organisations/{id}"));

        var limited = answers[^1];
        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        Assert.True(answers.Count >= 3, $"refused after {answers.Count - 1} answers; the bucket holds 2");
        Assert.All(answers, a => Assert.Equal("\"key\";q=2;w=2, \"org\";q=8;w=2", Header(a, "RateLimit-Policy")));

        var first = Remaining(answers[0]);
        Assert.Equal((1, 1), (first.Key, first.KeyReset));
        Assert.Equal(7, first.Organisation);
        Assert.Equal(0, Remaining(answers[^2]).Key); // the last one let through took the last token
        var refused = Remaining(limited);
        Assert.Equal(0, refused.Key);
        Assert.Equal(int.Parse(Header(limited, "Retry-After")), refused.KeyReset);
        Assert.True(refused.Organisation < first.Organisation);
    }

    [Fact]
    public async Task Product_api_answers_carry_the_product_budget_and_count_down_on_consecutive_calls()
    {
        var (database, node, id, client) = await StarterOrganisationAsync(new() { ["RateLimits:Plans:starter:UsagePerSecond"] = "1000" });
        await using var _ = database;
        await using var __ = node;
        await UntilThePlanIsKnownAsync(client, id, usage: false, "\"key\";q=20;w=2, \"org\";q=80;w=2");

        var left = new List<long>();
        for (var i = 0; i < 5; i++)
        {
            var response = await client.PostAsync($"/v1/organisations/{id}/usage/ai_calls/check", TestApi.Json(new { amount = 1 }));
            Assert.True(response.IsSuccessStatusCode, $"{response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
            Assert.Equal("\"key\";q=2000;w=2, \"org\";q=8000;w=2", Header(response, "RateLimit-Policy"));
            left.Add(Remaining(response).Key);
        }

        // Each call takes a token from the full bucket of 2,000; the bucket refills once a second (back to full at
        // most), so in five quick calls at most one step is not a decrease of one.
        Assert.Equal(1999, left[0]);
        Assert.All(left, r => Assert.InRange(r, 1995, 1999));
        Assert.True(left.Zip(left.Skip(1)).Count(p => p.Second == p.First - 1) >= 3, string.Join(", ", left));
    }

    [Fact]
    public async Task Answers_no_limit_applies_to_carry_no_rate_limit_headers()
    {
        await using var database = await TestDatabase.CreateAsync();
        await using var node = await new TaskeeNode(database).StartAsync();

        foreach (var response in new[]
        {
            await node.Client(null).GetAsync("/health/live"), // anonymous
            await node.Admin().GetAsync("/v1/plans"), // platform callers are not limited
        })
        {
            Assert.True(response.IsSuccessStatusCode);
            Assert.False(response.Headers.Contains("RateLimit"), response.RequestMessage!.RequestUri!.ToString());
            Assert.False(response.Headers.Contains("RateLimit-Policy"), response.RequestMessage!.RequestUri!.ToString());
        }
    }

    /// <summary>A node with these rate settings and a starter organisation, called with a key of both APIs.</summary>
    private static async Task<(TestDatabase Database, TaskeeNode Node, string OrgId, HttpClient Client)> StarterOrganisationAsync(
        Dictionary<string, string?> settings)
    {
        var database = await TestDatabase.CreateAsync();
        var node = await new TaskeeNode(database, settings).StartAsync();
        var admin = node.Admin();
        var id = TestApi.NewOrgId("rh");
        await admin.CreateOrganisationAsync(id, "starter");
        return (database, node, id, node.Client(await admin.CreateKeyAsync(id, "admin", "usage")));
    }

    /// <summary>
    /// The node learns an organisation's plan in the background after its first request (enterprise rates until
    /// then); asks the other API, whose budget is separate, until its policy shows the plan's rates.
    /// </summary>
    private static async Task UntilThePlanIsKnownAsync(HttpClient client, string orgId, bool usage, string policy)
    {
        for (var attempt = 0; attempt < 100; attempt++)
        {
            var response = usage
                ? await client.PostAsync($"/v1/organisations/{orgId}/usage/ai_calls/check", TestApi.Json(new { amount = 1 }))
                : await client.GetAsync($"/v1/organisations/{orgId}");
            if (response.IsSuccessStatusCode && Header(response, "RateLimit-Policy") == policy) return;
            await Task.Delay(50);
        }
        throw new TimeoutException($"The node did not apply the starter plan's rates ({policy}).");
    }

    private static string Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? string.Join(", ", values) : throw new Xunit.Sdk.XunitException($"{(int)response.StatusCode} has no {name} header");

    private static (long Key, int KeyReset, long Organisation) Remaining(HttpResponseMessage response)
    {
        var match = RemainingValue().Match(Header(response, "RateLimit"));
        Assert.True(match.Success, Header(response, "RateLimit"));
        return (long.Parse(match.Groups[1].Value), int.Parse(match.Groups[2].Value), long.Parse(match.Groups[3].Value));
    }

    [GeneratedRegex("""^"key";r=(\d+);t=(\d+), "org";r=(\d+);t=\d+$""")]
    private static partial Regex RemainingValue();
}

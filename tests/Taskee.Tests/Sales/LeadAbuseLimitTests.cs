using System.Net;
using Taskee.Tests.Infrastructure;

namespace Taskee.Tests.Sales;

/// <summary>The intake's limits against a script: a form sent too soon, an old form token, and the per-address rate limit.</summary>
public sealed class LeadAbuseLimitTests
{
    [Fact]
    public async Task A_script_is_held_back_by_the_fill_time_the_token_lifetime_and_the_rate_limit()
    {
        var clock = new ManualClock(DateTimeOffset.UtcNow);
        await using var database = await TestDatabase.CreateAsync();
        await using var node = await new TaskeeNode(database, new Dictionary<string, string?>
        {
            ["Leads:MinimumFillTime"] = "00:00:03",
            ["Leads:FormLifetime"] = "01:00:00",
            ["Leads:PerIpPerHour"] = "4",
        }, clock).StartAsync();
        var prospect = node.Client(null);
        var admin = node.Admin();

        // 1: sent the moment the form opened.
        var token = await LeadForms.FormTokenAsync(prospect);
        var tooSoon = await (await LeadForms.SendAsync(prospect, LeadForms.Change(LeadForms.Qualified(), b => b["formToken"] = token)))
            .AssertProblemAsync(HttpStatusCode.UnprocessableEntity);
        Assert.Contains("3 s", tooSoon["detail"]!.GetValue<string>(), StringComparison.Ordinal);

        // 2: the same form, after a person's few seconds, is accepted.
        clock.Set(clock.GetUtcNow().AddSeconds(5));
        Assert.Equal(HttpStatusCode.Created, (await LeadForms.SendAsync(prospect, LeadForms.Change(LeadForms.Qualified(), b => b["formToken"] = token))).StatusCode);

        // 3: a form left open longer than its lifetime.
        clock.Set(clock.GetUtcNow().AddHours(2));
        var expired = await (await LeadForms.SendAsync(prospect, LeadForms.Change(LeadForms.Qualified(), b => b["formToken"] = token)))
            .AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.NotNull(expired["errors"]!["formToken"]);

        // 4: a honeypot hit counts too; then the fifth post of the hour is refused before anything is read.
        var honeypot = LeadForms.Change(LeadForms.Qualified(), b => b["website"] = "http://spam.example");
        await (await LeadForms.SendAsync(prospect, honeypot)).AssertProblemAsync(HttpStatusCode.BadRequest);
        var limited = await prospect.PostAsync("/v1/leads", TestApi.Json("{}"));
        var problem = await limited.AssertProblemAsync(HttpStatusCode.TooManyRequests);
        Assert.True(int.Parse(limited.Headers.RetryAfter!.ToString()) > 0);
        Assert.Contains("Nothing was stored", problem["detail"]!.GetValue<string>(), StringComparison.Ordinal);

        // Only the one accepted lead exists; sales' own API is not limited by the intake's budget.
        Assert.Single((await admin.GetJsonAsync("/v1/leads"))["items"]!.AsArray());
    }
}

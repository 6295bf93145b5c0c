using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Taskee.Api.Sales.Onboarding;
using Taskee.Grains.Interfaces;
using Taskee.Grains.Storage;
using Taskee.Tests.Infrastructure;

namespace Taskee.Tests.Sales;

/// <summary>A won quote becomes one organisation on a custom enterprise plan with the quoted limits and features, linked to its lead.</summary>
public sealed class WonQuoteTests(OnboardingNodeFixture fixture) : IClassFixture<OnboardingNodeFixture>
{
    private readonly HttpClient _public = fixture.Node.Client(null);
    private readonly HttpClient _admin = fixture.Node.Admin();

    [Fact]
    public async Task A_won_quote_creates_the_organisation_on_a_custom_plan_with_the_quoted_limits_and_features_and_links_the_lead()
    {
        var (leadId, quote) = await WonQuotes.QuoteAsync(_admin, _public, ["sso"]);
        var quoteId = quote["id"]!.GetValue<string>();
        var read = await _admin.GetAsync($"/v1/quotes/{quoteId}");
        Assert.Equal("\"1\"", read.Headers.ETag?.Tag);
        Assert.Equal("open", (await read.ReadJsonAsync())["status"]!.GetValue<string>());

        var response = await WonQuotes.DecideAsync(_admin, quoteId, new { status = "won" }, ifMatch: "\"1\"");
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        Assert.Equal("\"2\"", response.Headers.ETag?.Tag);
        var won = await response.ReadJsonAsync();
        var orgId = won["organisationId"]!.GetValue<string>();
        Assert.Equal("won", won["status"]!.GetValue<string>());
        Assert.StartsWith("zorggroep-", orgId);
        Assert.NotNull(won["decidedAt"]);

        // The product API sees the quoted limits and features.
        var product = fixture.Node.Client(await _admin.CreateKeyAsync(orgId, "usage"));
        var entitlements = await product.GetJsonAsync($"/v1/organisations/{orgId}/entitlements");
        var planId = entitlements["plan"]!.GetValue<string>();
        Assert.Equal($"custom-{quote["number"]!.GetValue<string>().ToLowerInvariant()}-v1", planId);
        Assert.Equal(60, entitlements["limits"]!["seats"]!["limit"]!.GetValue<long>());
        Assert.Equal(30_000, entitlements["limits"]!["ai_calls"]!["limit"]!.GetValue<long>());
        Assert.Equal(300L << 30, entitlements["limits"]!["storage_bytes"]!["limit"]!.GetValue<long>());
        Assert.True(entitlements["features"]!["sso"]!["enabled"]!.GetValue<bool>());
        Assert.False(entitlements["features"]!["scim"]!["enabled"]!.GetValue<bool>()); // not bought, though the enterprise plan has it
        Assert.True(entitlements["features"]!["sla_business"]!["enabled"]!.GetValue<bool>());
        Assert.True(entitlements["features"]!["audit_export"]!["enabled"]!.GetValue<bool>());
        var plan = (await _admin.GetJsonAsync("/v1/plans"))["items"]!.AsArray().Single(p => p!["id"]!.GetValue<string>() == planId)!;
        Assert.True(plan["custom"]!.GetValue<bool>());

        var lead = await _admin.GetJsonAsync($"/v1/leads/{leadId}");
        Assert.Equal("won", lead["status"]!.GetValue<string>());
        Assert.Equal(orgId, lead["organisationId"]!.GetValue<string>());
        Assert.Equal(orgId, (await _admin.GetJsonAsync($"/v1/quotes/{quoteId}"))["organisationId"]!.GetValue<string>());

        var decided = Assert.Single(await PlatformAudit.EventsAboutAsync(_admin, $"quotes/{quoteId}"), e => e["action"]!.GetValue<string>() == "quote.won");
        Assert.Contains(orgId, decided["after"]!.ToJsonString());
        Assert.Contains(await PlatformAudit.EventsAboutAsync(_admin, $"leads/{leadId}"), e => e["action"]!.GetValue<string>() == "lead.updated"
            && e["after"]!.ToJsonString().Contains("\"won\""));
        Assert.Single(await PlatformAudit.EventsAboutAsync(_admin, $"plans/{planId}"));
        var orgChain = (await _admin.AuditEventsAsync(orgId)).Select(e => e["action"]!.GetValue<string>()).ToList();
        Assert.Equal(new[] { "org.created", "onboarding.started" }, orgChain.Take(2).ToArray());
    }

    [Fact]
    public async Task Winning_a_quote_twice_at_once_makes_one_organisation_and_a_lead_becomes_one_organisation_only()
    {
        var (leadId, quote) = await WonQuotes.QuoteAsync(_admin, _public, ["sso", "scim"]);
        var quoteId = quote["id"]!.GetValue<string>();

        var answers = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => WonQuotes.DecideAsync(_admin, quoteId, new { status = "won" })));
        Assert.All(answers, a => Assert.True(a.StatusCode is HttpStatusCode.OK or HttpStatusCode.Conflict, a.StatusCode.ToString()));
        // One request wins; another arriving while it provisions finishes the same provisioning (a retry does), the rest are refused.
        var organisations = new HashSet<string>();
        foreach (var answer in answers)
        {
            if (answer.StatusCode == HttpStatusCode.OK) organisations.Add((await answer.ReadJsonAsync())["organisationId"]!.GetValue<string>());
            else await answer.AssertProblemAsync(HttpStatusCode.Conflict);
        }
        var orgId = Assert.Single(organisations);

        var again = await (await WonQuotes.DecideAsync(_admin, quoteId, new { status = "won" })).AssertProblemAsync(HttpStatusCode.Conflict);
        Assert.Contains(orgId, again["detail"]!.GetValue<string>());
        Assert.Single(await _admin.AuditEventsAsync(orgId), e => e["action"]!.GetValue<string>() == "org.created");
        Assert.Single(await PlatformAudit.EventsAboutAsync(_admin, $"quotes/{quoteId}"), e => e["action"]!.GetValue<string>() == "quote.won");

        // A later quote of the same lead cannot make a second organisation.
        var second = await (await _admin.PostAsync("/v1/quotes", TestApi.Json(new
        {
            leadId, plan = "enterprise", seats = 80, aiCalls = 0, storageGb = 0, addOns = Array.Empty<string>(), slaTier = "none", termYears = 1,
        }))).ReadJsonAsync();
        var refusedSecond = await (await WonQuotes.DecideAsync(_admin, second["id"]!.GetValue<string>(), new { status = "won" })).AssertProblemAsync(HttpStatusCode.Conflict);
        Assert.Contains("another quote", refusedSecond["detail"]!.GetValue<string>());
        Assert.Equal("open", (await _admin.GetJsonAsync($"/v1/quotes/{second["id"]!.GetValue<string>()}"))["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_quote_past_its_validity_or_decided_or_of_a_lost_lead_is_refused_and_nothing_changes()
    {
        var (expiredLead, expired) = await WonQuotes.QuoteAsync(_admin, _public, [], validDays: 1);
        fixture.Advance(TimeSpan.FromDays(2));
        var problem = await (await WonQuotes.DecideAsync(_admin, expired["id"]!.GetValue<string>(), new { status = "won" })).AssertProblemAsync(HttpStatusCode.Conflict);
        Assert.Contains("valid until", problem["detail"]!.GetValue<string>());
        Assert.Equal("open", (await _admin.GetJsonAsync($"/v1/quotes/{expired["id"]!.GetValue<string>()}"))["status"]!.GetValue<string>());
        Assert.Equal("new", (await _admin.GetJsonAsync($"/v1/leads/{expiredLead}"))["status"]!.GetValue<string>());

        var (_, lost) = await WonQuotes.QuoteAsync(_admin, _public, []);
        var lostId = lost["id"]!.GetValue<string>();
        var decided = await (await WonQuotes.DecideAsync(_admin, lostId, new { status = "lost" })).ReadJsonAsync();
        Assert.Equal("lost", decided["status"]!.GetValue<string>());
        Assert.Null(decided["organisationId"]);
        await (await WonQuotes.DecideAsync(_admin, lostId, new { status = "won" })).AssertProblemAsync(HttpStatusCode.Conflict);
        Assert.Single(await PlatformAudit.EventsAboutAsync(_admin, $"quotes/{lostId}"), e => e["action"]!.GetValue<string>() == "quote.lost");

        var (lostLead, quoteOfLostLead) = await WonQuotes.QuoteAsync(_admin, _public, []);
        Assert.Equal(HttpStatusCode.OK, (await _admin.PatchAsync($"/v1/leads/{lostLead}", TestApi.Json(new { status = "lost" }))).StatusCode);
        var lostLeadProblem = await (await WonQuotes.DecideAsync(_admin, quoteOfLostLead["id"]!.GetValue<string>(), new { status = "won" }))
            .AssertProblemAsync(HttpStatusCode.Conflict);
        Assert.Contains("lost", lostLeadProblem["detail"]!.GetValue<string>());
    }

    [Fact]
    public async Task Bad_input_is_a_problem_naming_the_field_and_only_sales_may_decide()
    {
        var (_, quote) = await WonQuotes.QuoteAsync(_admin, _public, []);
        var quoteId = quote["id"]!.GetValue<string>();

        var bad = await (await WonQuotes.DecideAsync(_admin, quoteId, new { status = "maybe", organisationId = "Not A Slug" })).AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.NotNull(bad["errors"]!["status"]);
        Assert.NotNull(bad["errors"]!["organisationId"]);
        await (await WonQuotes.DecideAsync(_admin, quoteId, new { status = "won" }, ifMatch: "\"2\"")).AssertProblemAsync(HttpStatusCode.PreconditionFailed);
        await (await WonQuotes.DecideAsync(_admin, "quote_nothing", new { status = "won" })).AssertProblemAsync(HttpStatusCode.NotFound);

        var existing = TestApi.NewOrgId("taken");
        await _admin.CreateOrganisationAsync(existing);
        var taken = await (await WonQuotes.DecideAsync(_admin, quoteId, new { status = "won", organisationId = existing })).AssertProblemAsync(HttpStatusCode.Conflict);
        Assert.Contains(existing, taken["detail"]!.GetValue<string>());

        var owner = fixture.Node.Client(await _admin.CreateKeyAsync(existing, "owner"));
        await (await WonQuotes.DecideAsync(owner, quoteId, new { status = "won" })).AssertProblemAsync(HttpStatusCode.Forbidden);
        await (await WonQuotes.DecideAsync(_public, quoteId, new { status = "won" })).AssertProblemAsync(HttpStatusCode.Unauthorized);
        Assert.Equal("open", (await _admin.GetJsonAsync($"/v1/quotes/{quoteId}"))["status"]!.GetValue<string>());

        var chosen = TestApi.NewOrgId("chosen");
        var won = await (await WonQuotes.DecideAsync(_admin, quoteId, new { status = "won", organisationId = chosen })).ReadJsonAsync();
        Assert.Equal(chosen, won["organisationId"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_won_quote_whose_provisioning_was_cut_short_is_finished_by_a_retry_or_by_the_job()
    {
        var store = fixture.Node.Services.GetRequiredService<IOnboardingStore>();
        var quotes = fixture.Node.Services.GetRequiredService<IQuoteStore>();
        async Task<(string LeadId, string QuoteId, string OrgId)> ClaimOnlyAsync()
        {
            // What a node that died right after the decision's transaction leaves: the quote won, no plan, no organisation.
            var (leadId, quote) = await WonQuotes.QuoteAsync(_admin, _public, ["sso"]);
            var record = (await quotes.GetAsync(quote["id"]!.GetValue<string>()))!;
            var orgId = TestApi.NewOrgId("resumed");
            var claimed = await store.WinAsync(record.Id, orgId, CustomPlanFromQuote.PlanId(record), fixture.Clock.GetUtcNow(),
                new AuditRecord("quote.won", $"quotes/{record.Id}", null, null), new ChangeContext(AuditActor.System, null, null));
            Assert.Equal(QuoteDecisionStatus.Done, claimed.Status);
            await (await _admin.GetAsync($"/v1/organisations/{orgId}")).AssertProblemAsync(HttpStatusCode.NotFound);
            return (leadId, record.Id, orgId);
        }

        var retried = await ClaimOnlyAsync();
        Assert.Equal(retried.OrgId, await WonQuotes.WinAsync(_admin, retried.QuoteId));
        await AssertProvisionedAsync(retried);

        var left = await ClaimOnlyAsync();
        fixture.Advance(WonQuoteProvisioner.Grace + TimeSpan.FromSeconds(1));
        await fixture.Node.Services.GetRequiredService<WonQuoteProvisioner>().RunAsync(CancellationToken.None);
        await AssertProvisionedAsync(left);
    }

    [Fact]
    public async Task Time_to_contract_counts_the_days_from_intake_to_won_for_the_sales_dashboard()
    {
        var leadId = await LeadForms.CreateAsync(_public, LeadForms.Qualified($"Traag {Guid.NewGuid():N}"));
        fixture.Advance(TimeSpan.FromDays(50));
        var quote = await (await _admin.PostAsync("/v1/quotes", TestApi.Json(new
        {
            leadId, plan = "enterprise", seats = 30, aiCalls = 0, storageGb = 0, addOns = Array.Empty<string>(), slaTier = "none", termYears = 1,
        }))).ReadJsonAsync();
        await WonQuotes.WinAsync(_admin, quote["id"]!.GetValue<string>());

        var kpis = await _admin.GetJsonAsync("/v1/leads/kpis");
        var toContract = kpis["timeToContract"]!;
        Assert.Equal(45, toContract["targetDays"]!.GetValue<int>());
        Assert.True(toContract["longestDays"]!.GetValue<double>() >= 50);
        Assert.True(toContract["withinTarget"]!.GetValue<int>() < toContract["won"]!.GetValue<int>());
        Assert.True(kpis["leadsThisQuarter"]!["target"]!.GetValue<int>() == 3);

        var org = TestApi.NewOrgId("kpi");
        await _admin.CreateOrganisationAsync(org);
        await (await fixture.Node.Client(await _admin.CreateKeyAsync(org, "owner")).GetAsync("/v1/leads/kpis")).AssertProblemAsync(HttpStatusCode.Forbidden);
        await (await _public.GetAsync("/v1/leads/kpis")).AssertProblemAsync(HttpStatusCode.Unauthorized);
    }

    private async Task AssertProvisionedAsync((string LeadId, string QuoteId, string OrgId) won)
    {
        var organisation = await _admin.GetJsonAsync($"/v1/organisations/{won.OrgId}");
        Assert.StartsWith("custom-q-", organisation["plan"]!.GetValue<string>());
        Assert.Equal("won", (await _admin.GetJsonAsync($"/v1/leads/{won.LeadId}"))["status"]!.GetValue<string>());
        Assert.True((await _admin.GetJsonAsync($"/v1/organisations/{won.OrgId}/onboarding"))["provisioned"]!.GetValue<bool>());
    }
}

using System.Net;
using Taskee.Tests.Infrastructure;

namespace Taskee.Tests.Sales;

/// <summary>Saved quotes: numbered per lead, versioned, priced exactly as the calculator prices, with the price book version used.</summary>
public sealed class QuoteApiTests(SalesNodeFixture fixture) : IClassFixture<SalesNodeFixture>
{
    private readonly HttpClient _public = fixture.Node.Client(null);
    private readonly HttpClient _admin = fixture.Node.Admin();

    private static object Quote(string leadId, int seats = 60, int? validDays = null) => new
    {
        leadId, plan = "enterprise", seats, aiCalls = 30_000, storageGb = 300, addOns = new[] { "sso" }, slaTier = "business", termYears = 2, validDays,
    };

    [Fact]
    public async Task A_quote_for_a_lead_is_numbered_priced_as_the_calculator_and_a_second_one_is_its_next_version()
    {
        var leadId = await LeadForms.CreateAsync(_public, LeadForms.Qualified());

        var first = await _admin.PostAsync("/v1/quotes", TestApi.Json(Quote(leadId, validDays: 45)));
        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        var quote = await first.ReadJsonAsync();
        var calculated = await (await _public.PostAsync("/v1/quotes/calculate", TestApi.Json(new
        {
            plan = "enterprise", seats = 60, aiCalls = 30_000, storageGb = 300, addOns = new[] { "sso" }, slaTier = "business", termYears = 2,
        }))).ReadJsonAsync();

        var number = quote["number"]!.GetValue<string>();
        Assert.Matches(@"^Q-\d{4}-\d{4}$", number);
        Assert.Equal(1, quote["version"]!.GetValue<long>());
        Assert.Equal(leadId, quote["leadId"]!.GetValue<string>());
        Assert.Equal(calculated["totalCents"]!.GetValue<long>(), quote["totalCents"]!.GetValue<long>());
        Assert.Equal(calculated["lines"]!.ToJsonString(), quote["lines"]!.ToJsonString());
        Assert.Equal(calculated["priceBookVersion"]!.GetValue<long>(), quote["priceBookVersion"]!.GetValue<long>());
        var days = (quote["validUntil"]!.GetValue<DateTimeOffset>() - quote["createdAt"]!.GetValue<DateTimeOffset>()).TotalDays;
        Assert.Equal(45, days, 3);

        var second = await (await _admin.PostAsync("/v1/quotes", TestApi.Json(Quote(leadId, seats: 80)))).ReadJsonAsync();
        Assert.Equal(number, second["number"]!.GetValue<string>());
        Assert.Equal(2, second["version"]!.GetValue<long>());
        var other = await (await _admin.PostAsync("/v1/quotes", TestApi.Json(Quote(await LeadForms.CreateAsync(_public, LeadForms.Qualified("Other")))))).ReadJsonAsync();
        Assert.NotEqual(number, other["number"]!.GetValue<string>());

        var read = await _admin.GetJsonAsync($"/v1/quotes/{quote["id"]!.GetValue<string>()}");
        Assert.Equal(quote.ToJsonString(), read.ToJsonString());
        var audit = Assert.Single(await PlatformAudit.EventsAboutAsync(_admin, $"quotes/{quote["id"]!.GetValue<string>()}"));
        Assert.Equal("quote.created", audit["action"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_quote_needs_a_known_lead_valid_inputs_and_a_platform_admin()
    {
        await (await _admin.PostAsync("/v1/quotes", TestApi.Json(Quote("lead_nothing")))).AssertProblemAsync(HttpStatusCode.NotFound);
        var problem = await (await _admin.PostAsync("/v1/quotes", TestApi.Json(new { leadId = "lead_x", plan = "platinum", seats = 0, validDays = 400 })))
            .AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.NotNull(problem["errors"]!["plan"]);
        Assert.NotNull(problem["errors"]!["seats"]);
        Assert.NotNull(problem["errors"]!["validDays"]);
        await (await _admin.GetAsync("/v1/quotes/quote_nothing")).AssertProblemAsync(HttpStatusCode.NotFound);

        var leadId = await LeadForms.CreateAsync(_public, LeadForms.Qualified());
        var org = TestApi.NewOrgId("quotes");
        await _admin.CreateOrganisationAsync(org);
        var owner = fixture.Node.Client(await _admin.CreateKeyAsync(org, "owner"));
        await (await owner.PostAsync("/v1/quotes", TestApi.Json(Quote(leadId)))).AssertProblemAsync(HttpStatusCode.Forbidden);
        await (await _public.PostAsync("/v1/quotes", TestApi.Json(Quote(leadId)))).AssertProblemAsync(HttpStatusCode.Unauthorized);
    }
}

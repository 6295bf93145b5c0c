using System.Net;
using System.Net.Http.Headers;
using Taskee.Tests.Infrastructure;

namespace Taskee.Tests.Sales;

/// <summary>GET /v1/quotes: newest first, by lead and status, paged like the leads list; platform roles only.</summary>
public sealed class QuoteListTests(SalesNodeFixture fixture) : IClassFixture<SalesNodeFixture>
{
    private readonly HttpClient _public = fixture.Node.Client(null);
    private readonly HttpClient _admin = fixture.Node.Admin();

    private async Task<string> QuoteAsync(string leadId, int seats)
    {
        var response = await _admin.PostAsync("/v1/quotes", TestApi.Json(new { leadId, plan = "enterprise", seats, aiCalls = 30_000, storageGb = 300, termYears = 1 }));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.ReadJsonAsync())["id"]!.GetValue<string>();
    }

    private static List<string> Ids(System.Text.Json.Nodes.JsonNode page) => page["items"]!.AsArray().Select(q => q!["id"]!.GetValue<string>()).ToList();

    [Fact]
    public async Task A_lead_s_quotes_are_listed_newest_first_filtered_by_status_and_paged()
    {
        var leadId = await LeadForms.CreateAsync(_public, LeadForms.Qualified("Lijst BV"));
        var other = await LeadForms.CreateAsync(_public, LeadForms.Qualified("Ander BV"));
        var first = await QuoteAsync(leadId, 60);
        var second = await QuoteAsync(leadId, 70);
        var third = await QuoteAsync(leadId, 80);
        await QuoteAsync(other, 60);
        var lost = new HttpRequestMessage(HttpMethod.Patch, $"/v1/quotes/{first}") { Content = TestApi.Json(new { status = "lost" }) };
        lost.Headers.IfMatch.Add(new EntityTagHeaderValue("\"1\""));
        Assert.True((await _admin.SendAsync(lost)).IsSuccessStatusCode);

        Assert.Equal([third, second, first], Ids(await _admin.GetJsonAsync($"/v1/quotes?leadId={leadId}")));
        Assert.Equal([first], Ids(await _admin.GetJsonAsync($"/v1/quotes?leadId={leadId}&status=lost")));
        Assert.Equal([third, second], Ids(await _admin.GetJsonAsync($"/v1/quotes?leadId={leadId}&status=open")));

        var page = await _admin.GetJsonAsync($"/v1/quotes?leadId={leadId}&limit=2");
        Assert.Equal([third, second], Ids(page));
        var rest = await _admin.GetJsonAsync($"/v1/quotes?leadId={leadId}&limit=2&before={page["next"]!.GetValue<string>()}");
        Assert.Equal([first], Ids(rest));
        Assert.Null(rest["next"]);
        Assert.Contains(other, (await _admin.GetJsonAsync("/v1/quotes?limit=200"))["items"]!.AsArray().Select(q => q!["leadId"]!.GetValue<string>()));
    }

    [Theory]
    [InlineData("status=signed", "status")]
    [InlineData("limit=0", "limit")]
    [InlineData("limit=201", "limit")]
    public async Task A_bad_query_is_400_naming_the_parameter(string query, string field)
    {
        var problem = await (await _admin.GetAsync($"/v1/quotes?{query}")).AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.NotNull(problem["errors"]![field]);
    }

    [Fact]
    public async Task An_organisation_s_own_admin_may_not_list_quotes()
    {
        var orgId = TestApi.NewOrgId("ql");
        await _admin.CreateOrganisationAsync(orgId);
        var orgAdmin = fixture.Node.Client(await _admin.CreateKeyAsync(orgId, "owner"));

        await (await orgAdmin.GetAsync("/v1/quotes")).AssertProblemAsync(HttpStatusCode.Forbidden);
    }
}

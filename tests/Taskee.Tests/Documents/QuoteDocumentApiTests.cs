using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Taskee.Tests.Infrastructure;
using Taskee.Tests.Sales;

namespace Taskee.Tests.Documents;

/// <summary><c>GET /v1/quotes/{quoteId}/documents/{name}</c>: a saved quote's order form, SLA schedule and DPA, as HTML or PDF.</summary>
public sealed class QuoteDocumentApiTests(SalesNodeFixture fixture) : IClassFixture<SalesNodeFixture>
{
    private readonly HttpClient _public = fixture.Node.Client(null);
    private readonly HttpClient _admin = fixture.Node.Admin();

    private async Task<JsonNode> QuoteAsync(string organisation = "Zorggroep Noord & Zn")
    {
        var leadId = await LeadForms.CreateAsync(_public, LeadForms.Qualified(organisation));
        var created = await _admin.PostAsync("/v1/quotes", TestApi.Json(new
        {
            leadId, plan = "enterprise", seats = 1234, aiCalls = 90_000, storageGb = 700, addOns = new[] { "sso", "scim" }, slaTier = "premium", termYears = 3,
        }));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        return await _admin.GetJsonAsync($"/v1/quotes/{(await created.ReadJsonAsync())["id"]!.GetValue<string>()}");
    }

    /// <summary>Written out here rather than with the product's formatter, so a wrong format fails.</summary>
    private static string Euro(long cents, string language)
    {
        var whole = (cents / 100).ToString("#,0", CultureInfo.InvariantCulture);
        return language == "nl" ? $"€ {whole.Replace(',', '.')},{cents % 100:D2}" : $"€{whole}.{cents % 100:D2}";
    }

    private async Task<HttpResponseMessage> GetAsync(HttpClient client, string path, string? accept = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (accept is not null) request.Headers.Accept.Add(MediaTypeWithQualityHeaderValue.Parse(accept));
        return await client.SendAsync(request);
    }

    [Theory]
    [InlineData("nl")]
    [InlineData("en")]
    public async Task The_order_form_shows_the_quotes_lines_and_totals_exactly_as_the_quote_does(string language)
    {
        var quote = await QuoteAsync();
        var response = await GetAsync(_admin, $"/v1/quotes/{quote["id"]}/documents/order-form?lang={language}", "text/html");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType!.MediaType);
        var html = WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync());

        Assert.Contains($"<html lang=\"{language}\">", html);
        Assert.Contains(quote["number"]!.GetValue<string>(), html);
        Assert.Contains("Zorggroep Noord & Zn", html);
        var lines = quote["lines"]!.AsArray();
        Assert.True(lines.Count >= 5);
        foreach (var line in lines)
        {
            var row = $"<td>{line!["description"]}</td>\n<td>{line["quantity"]}</td>\n<td>{Euro(line["unitPriceCents"]!.GetValue<long>(), language)}</td>\n"
                + $"<td>{Euro(line["totalCents"]!.GetValue<long>(), language)}</td>";
            Assert.Contains(row, html);
        }
        foreach (var total in new[] { "subtotalCents", "discountCents", "vatCents", "totalCents" })
            Assert.Contains(Euro(quote[total]!.GetValue<long>(), language), html);
        Assert.Contains($"{quote["priceBookVersion"]}", html);
        Assert.Contains(DateTimeOffset.Parse(quote["validUntil"]!.GetValue<string>(), CultureInfo.InvariantCulture).UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), html);
    }

    [Fact]
    public async Task The_sla_and_dpa_render_for_the_quote_and_default_to_Dutch()
    {
        var quote = await QuoteAsync();
        var sla = await (await GetAsync(_admin, $"/v1/quotes/{quote["id"]}/documents/sla")).Content.ReadAsStringAsync();
        Assert.Contains("<html lang=\"nl\">", sla);
        Assert.Contains("premium", sla);
        Assert.Contains("GET /v1/ops/sla", sla);
        var dpa = await (await GetAsync(_admin, $"/v1/quotes/{quote["id"]}/documents/dpa?format=html&lang=en", "application/pdf")).Content.ReadAsStringAsync();
        Assert.Contains("Data processing agreement", dpa);
    }

    [Fact]
    [Trait("Category", "Browser")]
    public async Task The_pdf_is_a_pdf_whose_first_page_is_not_blank()
    {
        var quote = await QuoteAsync();
        var response = await GetAsync(_admin, $"/v1/quotes/{quote["id"]}/documents/order-form?lang=en", "application/pdf");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/pdf", response.Content.Headers.ContentType!.MediaType);
        var pdf = await response.Content.ReadAsByteArrayAsync();
        Assert.Equal("%PDF"u8.ToArray(), pdf[..4]);

        var inked = await PdfPages.InkedShareOfFirstPageAsync(pdf);
        Assert.InRange(inked, 0.005, 0.6);
        var byQuery = await GetAsync(_admin, $"/v1/quotes/{quote["id"]}/documents/sla?format=pdf");
        Assert.Equal("application/pdf", byQuery.Content.Headers.ContentType!.MediaType);
    }

    [Fact]
    public async Task Bad_names_languages_formats_and_quotes_are_problems()
    {
        var quote = await QuoteAsync();
        var unknownName = await (await GetAsync(_admin, $"/v1/quotes/{quote["id"]}/documents/invoice")).AssertProblemAsync(HttpStatusCode.NotFound);
        Assert.Equal(["dpa", "order-form", "sla"], unknownName["validNames"]!.AsArray().Select(n => n!.GetValue<string>()).Order());
        Assert.Contains("order-form", unknownName["detail"]!.GetValue<string>());

        var badLang = await (await GetAsync(_admin, $"/v1/quotes/{quote["id"]}/documents/sla?lang=de")).AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.NotNull(badLang["errors"]!["lang"]);
        var badFormat = await (await GetAsync(_admin, $"/v1/quotes/{quote["id"]}/documents/sla?format=docx")).AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.NotNull(badFormat["errors"]!["format"]);
        await (await GetAsync(_admin, $"/v1/quotes/{quote["id"]}/documents/sla", "application/json")).AssertProblemAsync(HttpStatusCode.NotAcceptable);
        await (await GetAsync(_admin, "/v1/quotes/quote_nothing/documents/sla")).AssertProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Only_platform_roles_read_quote_documents()
    {
        var quote = await QuoteAsync();
        var org = TestApi.NewOrgId("docs");
        await _admin.CreateOrganisationAsync(org);
        var owner = fixture.Node.Client(await _admin.CreateKeyAsync(org, "owner"));
        await (await GetAsync(owner, $"/v1/quotes/{quote["id"]}/documents/order-form")).AssertProblemAsync(HttpStatusCode.Forbidden);
        await (await GetAsync(_public, $"/v1/quotes/{quote["id"]}/documents/order-form")).AssertProblemAsync(HttpStatusCode.Unauthorized);
    }
}

using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Taskee.Grains.Sales;
using Taskee.Tests.Infrastructure;

namespace Taskee.Tests.Sales;

/// <summary>The price book API and the public calculator, against a real database.</summary>
public sealed class PricingApiTests(SalesNodeFixture fixture) : IClassFixture<SalesNodeFixture>
{
    private readonly HttpClient _public = fixture.Node.Client(null);
    private readonly HttpClient _admin = fixture.Node.Admin();

    private static readonly object Request = new
    {
        plan = "enterprise", seats = 120, aiCalls = 45_000, storageGb = 700, addOns = new[] { "sso", "scim" }, slaTier = "business", termYears = 3,
    };

    [Fact]
    public async Task The_calculator_prices_from_the_current_price_book_and_names_its_version()
    {
        var current = await _public.GetJsonAsync("/v1/price-book");
        var book = current["book"].Deserialize<PriceBook>(JsonSerializerOptions.Web)!;

        var quote = await (await _public.PostAsync("/v1/quotes/calculate", TestApi.Json(Request))).ReadJsonAsync();

        var expected = QuoteCalculator.Calculate(book, current["version"]!.GetValue<long>(),
            new QuoteInput("enterprise", 120, 45_000, 700, ["sso", "scim"], "business", 3));
        Assert.Equal(expected.TotalCents, quote["totalCents"]!.GetValue<long>());
        Assert.Equal(expected.VatCents, quote["vatCents"]!.GetValue<long>());
        Assert.Equal(expected.DiscountCents, quote["discountCents"]!.GetValue<long>());
        Assert.Equal(expected.Lines.Count, quote["lines"]!.AsArray().Count);
        Assert.Equal("EUR", quote["currency"]!.GetValue<string>());
        Assert.Equal(current["version"]!.GetValue<long>(), quote["priceBookVersion"]!.GetValue<long>());
        Assert.Equal(quote["subtotalCents"]!.GetValue<long>() - quote["discountCents"]!.GetValue<long>() + quote["vatCents"]!.GetValue<long>(),
            quote["totalCents"]!.GetValue<long>());
    }

    [Theory]
    [InlineData("""{"plan":"platinum","seats":10}""", "plan")]
    [InlineData("""{"plan":"enterprise","seats":0}""", "seats")]
    [InlineData("""{"plan":"enterprise","seats":10,"aiCalls":-1}""", "aiCalls")]
    [InlineData("""{"plan":"enterprise","seats":10,"addOns":["sms"]}""", "addOns")]
    [InlineData("""{"plan":"enterprise","seats":10,"slaTier":"gold"}""", "slaTier")]
    [InlineData("""{"plan":"enterprise","seats":10,"termYears":5}""", "termYears")]
    public async Task A_bad_calculation_request_names_the_field(string body, string field)
    {
        var problem = await (await _public.PostAsync("/v1/quotes/calculate", TestApi.Json(body))).AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.True(problem["errors"]![field] is JsonArray { Count: > 0 }, problem.ToJsonString());
    }

    [Fact]
    public async Task A_platform_admin_stores_a_new_price_book_version_which_is_audited_and_used_from_then_on()
    {
        var before = await _admin.GetJsonAsync("/v1/price-book");
        var book = before["book"]!.DeepClone().AsObject();
        book["vatPercent"] = 9;

        var put = await _admin.PutAsync("/v1/price-book", TestApi.Json(book.ToJsonString()));

        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        var version = (await put.ReadJsonAsync())["version"]!.GetValue<long>();
        Assert.Equal(before["version"]!.GetValue<long>() + 1, version);
        var quote = await (await _public.PostAsync("/v1/quotes/calculate", TestApi.Json(new { plan = "enterprise", seats = 10 }))).ReadJsonAsync();
        Assert.Equal(version, quote["priceBookVersion"]!.GetValue<long>());
        Assert.Equal(QuoteCalculator.Percent(quote["subtotalCents"]!.GetValue<long>() - quote["discountCents"]!.GetValue<long>(), 9),
            quote["vatCents"]!.GetValue<long>());
        var audit = Assert.Single(await PlatformAudit.EventsAboutAsync(_admin, $"price-book/{version}"));
        Assert.Equal("pricebook.versioned", audit["action"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_bad_price_book_is_refused_by_field_and_only_platform_admins_may_change_it()
    {
        var book = (await _admin.GetJsonAsync("/v1/price-book"))["book"]!.DeepClone().AsObject();
        var version = (await _admin.GetJsonAsync("/v1/price-book"))["version"]!.GetValue<long>();
        book["currency"] = "USD";
        var problem = await (await _admin.PutAsync("/v1/price-book", TestApi.Json(book.ToJsonString()))).AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.NotNull(problem["errors"]!["currency"]);

        var org = TestApi.NewOrgId("pricing");
        await _admin.CreateOrganisationAsync(org);
        var owner = fixture.Node.Client(await _admin.CreateKeyAsync(org, "owner"));
        book["currency"] = "EUR";
        await (await owner.PutAsync("/v1/price-book", TestApi.Json(book.ToJsonString()))).AssertProblemAsync(HttpStatusCode.Forbidden);
        await (await _public.PutAsync("/v1/price-book", TestApi.Json(book.ToJsonString()))).AssertProblemAsync(HttpStatusCode.Unauthorized);
        Assert.Equal(version, (await _admin.GetJsonAsync("/v1/price-book"))["version"]!.GetValue<long>());
    }
}

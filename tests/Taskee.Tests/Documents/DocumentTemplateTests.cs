using System.Reflection;
using Taskee.Api.Documents;
using Taskee.Api.Ops;
using Taskee.Api.Sales.Crm;
using Taskee.Grains.Sales;
using Taskee.Grains.Storage;

namespace Taskee.Tests.Documents;

/// <summary>Every template renders in both languages with nothing left unfilled; the engine refuses what it cannot fill.</summary>
public sealed class DocumentTemplateTests
{
    public static readonly PriceBook Book = new("EUR", 21,
        new Dictionary<string, PlanPrice> { ["enterprise"] = new(1500, 20_000, 250, 250, 1000) },
        new Dictionary<string, long> { ["sso"] = 200, ["scim"] = 100 },
        new Dictionary<string, long> { ["none"] = 0, ["business"] = 25_000, ["premium"] = 75_000 },
        new Dictionary<int, int> { [1] = 0, [2] = 5 }, [new VolumeTier(100, 5)]);

    public static ServiceFacts Facts(string crmProvider = CrmOptions.None, bool stripe = true) =>
        new(new StoredPriceBook(3, Book, DateTimeOffset.UnixEpoch), new CrmOptions { Provider = crmProvider, BaseUrl = "https://crm.example.com/leads" },
            stripe, new OpsOptions(), new DateTimeOffset(2026, 12, 2, 10, 0, 0, TimeSpan.Zero));

    public static QuoteRecord Quote()
    {
        var input = new QuoteInput("enterprise", 120, 30_000, 300, ["sso"], "business", 2);
        var at = new DateTimeOffset(2026, 12, 1, 9, 0, 0, TimeSpan.Zero);
        return new QuoteRecord("quote_1", "Q-2026-0007", 2, "lead_1", input, QuoteCalculator.Calculate(Book, 3, input), at.AddDays(30), at);
    }

    public static IEnumerable<object[]> Templates() =>
        DocumentCatalog.All.SelectMany(name => DocumentCatalog.Languages.Select(language => new object[] { name, language }));

    [Theory]
    [MemberData(nameof(Templates))]
    public void Every_template_renders_in_both_languages_with_no_placeholder_left(string name, string language)
    {
        // Exactly the values each caller gives: the quote route adds the quote's; the legal-docs command does not.
        var contract = new ContractValues { CustomerName = "Zorg Noord", CustomerOrgId = "zorg-noord" };
        var values = Facts().ToValues(contract, language);
        if (DocumentCatalog.QuoteDocuments.Contains(name)) values.With(QuoteDocumentValues.Build(Quote(), language));
        if (!DocumentCatalog.LegalDocuments.Contains(name) && !DocumentCatalog.QuoteDocuments.Contains(name)) Assert.Fail($"{name} is rendered by nobody");

        var document = DocumentRenderer.Render(name, language, values);

        Assert.DoesNotContain("{{", document.Html);
        Assert.DoesNotContain("}}", document.Html);
        Assert.Contains($"<html lang=\"{language}\">", document.Html);
        Assert.Contains("Zorg Noord", document.Html);
        Assert.Contains("@media print", document.Html);
        Assert.DoesNotContain("<link", document.Html); // self-contained: nothing from a CDN
        Assert.DoesNotContain("src=", document.Html);
        Assert.Contains(language == "nl" ? "[nog overeen te komen:" : "[to be agreed:", document.Html);
    }

    [Fact]
    public void The_catalogue_is_exactly_the_embedded_templates_each_in_both_languages()
    {
        var embedded = typeof(DocumentCatalog).Assembly.GetManifestResourceNames().Where(n => n.StartsWith("legal/", StringComparison.Ordinal)).Order().ToList();
        Assert.Equal(DocumentCatalog.All.SelectMany(n => DocumentCatalog.Languages.Select(l => $"legal/{n}.{l}.md")).Order(), embedded);
    }

    [Fact]
    public void An_unknown_or_malformed_placeholder_is_an_error_naming_it()
    {
        var values = new DocumentValues().Text("customerName", "X");
        var unknown = Assert.Throws<DocumentTemplateException>(() => DocumentRenderer.Fill("Hello {{customerName}} at {{hostingRegion}} and {{rpo}}", values, "t.en"));
        Assert.Contains("{{hostingRegion}}, {{rpo}}", unknown.Message);
        Assert.Contains("t.en", unknown.Message);
        Assert.Throws<DocumentTemplateException>(() => DocumentRenderer.Fill("Hello {{customer name}}", values, "t.en"));
        Assert.Equal("Hello X", DocumentRenderer.Fill("Hello {{ customerName }}", values, "t.en"));
    }

    [Fact]
    public void Values_are_text_not_markup()
    {
        var contract = new ContractValues { CustomerName = "<script>alert(1)</script> **Bold** [link](https://evil.example) {{rpo}}" };
        var document = DocumentRenderer.Render("dpa", "en", Facts().ToValues(contract, "en"));
        Assert.DoesNotContain("<script>", document.Html);
        Assert.DoesNotContain("<strong>Bold</strong>", document.Html);
        Assert.DoesNotContain("<a ", document.Html);
        Assert.Contains("&lt;script&gt;alert(1)&lt;/script&gt; **Bold** [link](https://evil.example) {{rpo}}", document.Html);
    }

    [Fact]
    public void Sub_processors_are_those_configured_and_open_facts_stay_open()
    {
        var contract = new ContractValues { HostingProvider = "Hoster B.V.", HostingRegion = "Amsterdam (NL)" };
        var withAll = DocumentRenderer.Render("dpa", "en", Facts(CrmOptions.HubSpot, stripe: true).ToValues(contract, "en")).Html;
        Assert.Contains("Stripe", withAll);
        Assert.Contains("HubSpot", withAll);
        Assert.Contains("Hoster B.V.", withAll);
        Assert.Contains("Amsterdam (NL)", withAll);

        var bare = DocumentRenderer.Render("dpa", "nl", Facts(CrmOptions.None, stripe: false).ToValues(new ContractValues(), "nl")).Html;
        Assert.DoesNotContain("Stripe", bare);
        Assert.DoesNotContain("HubSpot", bare);
        Assert.Contains("[nog overeen te komen: hostingregio]", bare);
        Assert.Contains("hostingRegion", new ContractValues().Open);
        Assert.DoesNotContain("providerName", new ContractValues().Open);
    }

    [Fact]
    public void A_configured_Chromium_path_that_does_not_exist_fails_start_up_and_unset_is_fine()
    {
        var validator = new DocumentOptionsValidator();
        Assert.True(validator.Validate(null, new DocumentOptions()).Succeeded);
        var failed = validator.Validate(null, new DocumentOptions { ChromiumPath = "/nowhere/chromium" });
        Assert.True(failed.Failed);
        Assert.Contains("Documents:ChromiumPath", failed.FailureMessage);
        Assert.Contains("apt-get install chromium", failed.FailureMessage);
        Assert.True(validator.Validate(null, new DocumentOptions { PdfTimeout = TimeSpan.Zero }).Failed);
    }
}

using Taskee.Silo.Commands;
using Taskee.Tests.Infrastructure;
using Taskee.Tests.Sales;

namespace Taskee.Tests.Documents;

/// <summary><c>legal-docs</c>: the legal documents for one organisation, from its record, the contract values and the deployment.</summary>
public sealed class LegalDocsCommandTests(SalesNodeFixture fixture) : IClassFixture<SalesNodeFixture>
{
    private string[] Storage => [$"--Storage:Provider={fixture.Node.Database.Provider}", $"--Storage:ConnectionString={fixture.Node.Database.ConnectionString}"];

    [Fact]
    public async Task Renders_every_legal_document_in_both_languages_for_an_organisation_with_its_contract_values()
    {
        var admin = fixture.Node.Admin();
        var org = TestApi.NewOrgId("legal");
        await admin.CreateOrganisationAsync(org);
        var folder = Directory.CreateTempSubdirectory("taskee-legal-");
        try
        {
            var values = Path.Combine(folder.FullName, "contract.json");
            await File.WriteAllTextAsync(values, """{"customerAddress": "Stationsplein 1, Zwolle", "hostingRegion": "EU (Frankfurt)", "rpo": "24 uur"}""");
            var output = Path.Combine(folder.FullName, "out");

            var code = await LegalDocsCommand.RunAsync(["--org", org, "--values", values, "--out", output, "--Crm:Provider=hubspot", .. Storage]);

            Assert.Equal(0, code);
            var files = Directory.GetFiles(output).Select(Path.GetFileName).Order().ToList();
            Assert.Equal(12, files.Count);
            Assert.Contains("dpia.nl.html", files);
            Assert.Contains("security-overview.en.html", files);
            foreach (var file in Directory.GetFiles(output))
            {
                var html = await File.ReadAllTextAsync(file);
                Assert.DoesNotContain("{{", html);
                Assert.Contains(org, html);
            }
            var dpa = await File.ReadAllTextAsync(Path.Combine(output, "dpa.nl.html"));
            Assert.Contains("Stationsplein 1, Zwolle", dpa);
            Assert.Contains("EU (Frankfurt)", dpa);
            Assert.Contains("HubSpot", dpa);
            Assert.Contains("RPO 24 uur", await File.ReadAllTextAsync(Path.Combine(output, "sla.nl.html")));

            var english = Path.Combine(folder.FullName, "en");
            Assert.Equal(0, await LegalDocsCommand.RunAsync(["--org", org, "--out", english, "--lang", "en", .. Storage]));
            Assert.Equal(6, Directory.GetFiles(english).Length);
            Assert.Contains("[to be agreed: hosting region]", await File.ReadAllTextAsync(Path.Combine(english, "dpa.en.html")));
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task Missing_arguments_an_unknown_organisation_and_a_bad_values_file_are_refused()
    {
        var output = Path.Combine(Path.GetTempPath(), "taskee-legal-" + Guid.NewGuid().ToString("N"));
        Assert.Equal(2, await LegalDocsCommand.RunAsync(["--out", output, .. Storage]));
        Assert.Equal(2, await LegalDocsCommand.RunAsync(["--org", "x", "--out", output, "--lang", "de", .. Storage]));
        Assert.Equal(2, await LegalDocsCommand.RunAsync(["--org", "x", "--out", output, "--values", "/nowhere/contract.json", .. Storage]));
        Assert.Equal(1, await LegalDocsCommand.RunAsync(["--org", "no-such-org", "--out", output, .. Storage]));
        Assert.False(Directory.Exists(output));
    }
}

using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Taskee.Api.Documents;
using Taskee.Tests.Infrastructure;
using Taskee.Tests.Sales;

namespace Taskee.Tests.Documents;

/// <summary>The Chromium process is bounded: a time limit that kills it, a clear failure, its temporary folder removed; no Chromium is a 503.</summary>
public sealed class ChromiumPdfTests
{
    private static ChromiumPdf Printer(string? path, TimeSpan? timeout = null) =>
        new(Options.Create(new DocumentOptions { ChromiumPath = path, PdfTimeout = timeout ?? TimeSpan.FromSeconds(30) }), NullLogger<ChromiumPdf>.Instance);

    /// <summary>A stand-in for Chromium: writes its arguments to <paramref name="record"/>, then runs <paramref name="then"/>.</summary>
    private static string FakeChromium(string folder, string record, string then)
    {
        var script = Path.Combine(folder, "chromium");
        File.WriteAllText(script, $"#!/bin/sh\necho \"$@\" > {record}\n{then}\n");
        Assert.True(OperatingSystem.IsLinux(), "The stand-in is a shell script: these tests run on Linux, as the PDF route's Chromium does.");
        if (OperatingSystem.IsLinux()) File.SetUnixFileMode(script, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        return script;
    }

    private static string WorkFolderOf(string record) =>
        Path.GetDirectoryName(File.ReadAllText(record).Split(' ').Single(a => a.StartsWith("--print-to-pdf=", StringComparison.Ordinal))["--print-to-pdf=".Length..].Trim())!;

    [Fact]
    public async Task A_Chromium_that_runs_over_its_time_limit_is_killed_and_its_folder_removed()
    {
        var folder = Directory.CreateTempSubdirectory("taskee-fake-chromium-");
        try
        {
            var record = Path.Combine(folder.FullName, "args");
            var printer = Printer(FakeChromium(folder.FullName, record, "sleep 60"), TimeSpan.FromSeconds(1));
            var started = DateTime.UtcNow;
            var failure = await Assert.ThrowsAsync<PdfRenderException>(() => printer.PrintAsync("<p>x</p>", CancellationToken.None));
            Assert.Contains("Documents:PdfTimeout", failure.Message);
            Assert.True(DateTime.UtcNow - started < TimeSpan.FromSeconds(20));
            Assert.False(Directory.Exists(WorkFolderOf(record)));
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task A_Chromium_that_prints_nothing_is_a_clear_failure_and_cancelling_kills_it()
    {
        var folder = Directory.CreateTempSubdirectory("taskee-fake-chromium-");
        try
        {
            var record = Path.Combine(folder.FullName, "args");
            var failing = Printer(FakeChromium(folder.FullName, record, "exit 3"));
            var failure = await Assert.ThrowsAsync<PdfRenderException>(() => failing.PrintAsync("<p>x</p>", CancellationToken.None));
            Assert.Contains("exit code 3", failure.Message);
            Assert.False(Directory.Exists(WorkFolderOf(record)));

            var slow = Printer(FakeChromium(folder.FullName, record, "sleep 60"));
            using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(500));
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => slow.PrintAsync("<p>x</p>", cancel.Token));
            Assert.False(Directory.Exists(WorkFolderOf(record)));
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task Without_Chromium_a_pdf_is_a_503_saying_what_to_install_and_html_still_works()
    {
        await using var database = await TestDatabase.CreateAsync();
        await using var node = await new TaskeeNode(database, new Dictionary<string, string?> { ["Leads:MinimumFillTime"] = "00:00:00" }, services: services =>
            services.AddSingleton(sp => new ChromiumPdf(sp.GetRequiredService<IOptions<DocumentOptions>>(), sp.GetRequiredService<ILogger<ChromiumPdf>>()) { SearchPaths = [] }))
            .StartAsync();
        var admin = node.Admin();
        var leadId = await LeadForms.CreateAsync(node.Client(null), LeadForms.Qualified());
        var quote = await (await admin.PostAsync("/v1/quotes", TestApi.Json(new { leadId, plan = "enterprise", seats = 30 }))).ReadJsonAsync();

        var problem = await (await admin.GetAsync($"/v1/quotes/{quote["id"]}/documents/sla?format=pdf")).AssertProblemAsync(HttpStatusCode.ServiceUnavailable);
        Assert.Contains("apt-get install chromium", problem["detail"]!.GetValue<string>());
        Assert.Contains("Documents:ChromiumPath", problem["detail"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync($"/v1/quotes/{quote["id"]}/documents/sla?format=html")).StatusCode);
    }
}

using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Taskee.Api.Documents;

/// <summary>No Chromium on this node: PDFs cannot be printed until it is installed or configured.</summary>
public sealed class ChromiumMissingException() : Exception(
    "PDF rendering needs headless Chromium, which this node does not have: install it (Debian: apt-get install chromium) or set "
    + "Documents:ChromiumPath to its executable. The HTML of the document is available with format=html.");

/// <summary>Chromium ran but produced no PDF, or ran over its time limit.</summary>
public sealed class PdfRenderException(string message) : Exception(message);

/// <summary>
/// Prints HTML to PDF with <c>chromium --headless --print-to-pdf</c>: one process per document in a temporary folder of its
/// own (deleted afterwards), killed with its children on timeout or when the request is cancelled,
/// and at most <see cref="DocumentOptions.MaxConcurrentPdfs"/> at once.
/// </summary>
public sealed class ChromiumPdf(IOptions<DocumentOptions> options, ILogger<ChromiumPdf> logger) : IDisposable
{
    public static readonly IReadOnlyList<string> WellKnownPaths = ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"];

    private readonly SemaphoreSlim _slots = new(options.Value.MaxConcurrentPdfs);

    /// <summary>Where Chromium is looked for when <see cref="DocumentOptions.ChromiumPath"/> is unset (tests empty it).</summary>
    internal IReadOnlyList<string> SearchPaths { get; init; } = WellKnownPaths;

    public string? ExecutablePath => options.Value.ChromiumPath ?? SearchPaths.FirstOrDefault(File.Exists);

    public async Task<byte[]> PrintAsync(string html, CancellationToken ct)
    {
        var executable = ExecutablePath;
        if (executable is null)
        {
            DocumentsLog.ChromiumMissing(logger);
            throw new ChromiumMissingException();
        }

        await _slots.WaitAsync(ct);
        var folder = Directory.CreateTempSubdirectory("taskee-pdf-");
        try
        {
            var page = Path.Combine(folder.FullName, "document.html");
            var pdf = Path.Combine(folder.FullName, "document.pdf");
            await File.WriteAllTextAsync(page, html, ct);
            return await RunAsync(executable, folder.FullName, page, pdf, ct);
        }
        finally
        {
            _slots.Release();
            try { folder.Delete(recursive: true); }
            catch (IOException) { } // a file Chromium still held; the system's temp cleaning takes it
        }
    }

    private async Task<byte[]> RunAsync(string executable, string folder, string page, string pdf, CancellationToken ct)
    {
        var start = new ProcessStartInfo(executable) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var argument in Arguments(folder, page, pdf)) start.ArgumentList.Add(argument);
        var clock = Stopwatch.StartNew();
        using var process = Process.Start(start) ?? throw new PdfRenderException($"Chromium ({executable}) did not start.");
        var error = process.StandardError.ReadToEndAsync(CancellationToken.None);
        _ = process.StandardOutput.ReadToEndAsync(CancellationToken.None);

        using var limit = CancellationTokenSource.CreateLinkedTokenSource(ct);
        limit.CancelAfter(options.Value.PdfTimeout);
        try
        {
            await process.WaitForExitAsync(limit.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync(CancellationToken.None);
            ct.ThrowIfCancellationRequested();
            DocumentsLog.PdfTimedOut(logger, options.Value.PdfTimeout);
            throw new PdfRenderException($"Chromium did not finish the PDF within {options.Value.PdfTimeout} (Documents:PdfTimeout).");
        }

        if (process.ExitCode != 0 || !File.Exists(pdf))
        {
            var message = (await error).Trim();
            DocumentsLog.PdfFailed(logger, process.ExitCode, message.Length > 500 ? message[..500] : message);
            throw new PdfRenderException($"Chromium could not print the PDF (exit code {process.ExitCode}); the node's log has its error.");
        }
        var bytes = await File.ReadAllBytesAsync(pdf, ct);
        DocumentsLog.PdfPrinted(logger, bytes.Length, clock.ElapsedMilliseconds);
        return bytes;
    }

    private static IEnumerable<string> Arguments(string folder, string page, string pdf)
    {
        yield return "--headless";
        yield return "--disable-gpu";
        // Chromium refuses to run as root with its sandbox on; the page is our own, and its content security policy allows
        // no scripts and nothing from elsewhere.
        if (Environment.UserName == "root") yield return "--no-sandbox";
        yield return "--no-first-run";
        yield return "--disable-extensions";
        yield return "--disable-background-networking";
        yield return "--disable-component-update";
        yield return "--disable-sync";
        yield return "--no-pdf-header-footer";
        yield return $"--user-data-dir={Path.Combine(folder, "profile")}";
        yield return $"--print-to-pdf={pdf}";
        yield return new Uri(page).AbsoluteUri;
    }

    public void Dispose() => _slots.Dispose();
}

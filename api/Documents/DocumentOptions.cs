using Microsoft.Extensions.Options;

namespace Taskee.Api.Documents;

/// <summary>Settings <c>Documents:*</c>: where headless Chromium is for PDFs, and how long and how many at once it may run.</summary>
public sealed class DocumentOptions
{
    public const string Section = "Documents";

    /// <summary>Chromium's executable; unset: the first of <see cref="ChromiumPdf.WellKnownPaths"/> that exists, else no PDFs (503).</summary>
    public string? ChromiumPath { get; set; }

    /// <summary>One PDF's time limit; Chromium is killed when it runs over.</summary>
    public TimeSpan PdfTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>PDFs rendered at once on this node (each is a Chromium process); more wait.</summary>
    public int MaxConcurrentPdfs { get; set; } = 2;
}

/// <summary>Checks a configured Chromium path at start-up only: unset is valid (PDFs then answer 503 saying what to install).</summary>
public sealed class DocumentOptionsValidator : IValidateOptions<DocumentOptions>
{
    public ValidateOptionsResult Validate(string? name, DocumentOptions options)
    {
        var failures = new List<string>();
        if (options.ChromiumPath is { } path && !File.Exists(path))
            failures.Add($"Documents:ChromiumPath '{path}' does not exist: install Chromium (Debian: apt-get install chromium, then /usr/bin/chromium) or remove the setting.");
        if (options.PdfTimeout < TimeSpan.FromSeconds(1) || options.PdfTimeout > TimeSpan.FromMinutes(5))
            failures.Add("Documents:PdfTimeout must be between 00:00:01 and 00:05:00.");
        if (options.MaxConcurrentPdfs is < 1 or > 16)
            failures.Add("Documents:MaxConcurrentPdfs must be 1 to 16.");
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}

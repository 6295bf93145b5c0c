using Microsoft.Extensions.Logging;

namespace Taskee.Api.Documents;

/// <summary>Log messages of document rendering (event ids 7070-7079). Documents' contents (names, addresses) are never logged.</summary>
internal static partial class DocumentsLog
{
    [LoggerMessage(EventId = 7070, Level = LogLevel.Information, Message = "Rendered document {Name} ({Language}, {Format}) for {Subject}")]
    public static partial void Rendered(ILogger logger, string name, string language, string format, string subject);

    [LoggerMessage(EventId = 7071, Level = LogLevel.Information, Message = "Chromium printed a PDF of {Bytes} bytes in {ElapsedMs} ms")]
    public static partial void PdfPrinted(ILogger logger, long bytes, long elapsedMs);

    [LoggerMessage(EventId = 7072, Level = LogLevel.Warning, Message = "Chromium failed to print a PDF (exit code {ExitCode}): {Error}")]
    public static partial void PdfFailed(ILogger logger, int exitCode, string error);

    [LoggerMessage(EventId = 7073, Level = LogLevel.Warning, Message = "Chromium ran over {Timeout} printing a PDF and was killed")]
    public static partial void PdfTimedOut(ILogger logger, TimeSpan timeout);

    [LoggerMessage(EventId = 7074, Level = LogLevel.Warning, Message = "A PDF was asked for but no Chromium is installed (set Documents:ChromiumPath or install chromium)")]
    public static partial void ChromiumMissing(ILogger logger);

    [LoggerMessage(EventId = 7075, Level = LogLevel.Error, Message = "Document template {Template} could not be filled: {Problem}")]
    public static partial void TemplateFailed(ILogger logger, string template, string problem);
}

using Taskee.Api.Infrastructure;

namespace Taskee.Api.Imports;

/// <summary>The report of an import, one CSV line per row: the command's <c>--report</c> file and <c>GET /v1/imports/{importId}/report</c>.</summary>
public static class ImportReport
{
    public const string Header = "line,outcome,reason";

    public static string Line(long line, string outcome, string? reason) => $"{line},{outcome},{CsvField.Quote(reason)}";
}

namespace Taskee.Api.Infrastructure;

/// <summary>One CSV field (RFC 4180) that a spreadsheet opens as text: the audit export, the import report.</summary>
public static class CsvField
{
    public static string Quote(string? value)
    {
        if (value is null) return "";
        // A leading = + - @ would run as a formula in a spreadsheet; a quote mark keeps it text.
        var safe = value.Length > 0 && value[0] is '=' or '+' or '-' or '@' ? "'" + value : value;
        return "\"" + safe.Replace("\"", "\"\"") + "\"";
    }
}

using System.Runtime.CompilerServices;
using System.Text.Json;
using CsvHelper;

namespace Taskee.Api.Imports;

public enum ImportFormat
{
    Csv,
    Ndjson,
}

/// <summary>
/// Reads an import file as a stream of rows, one at a time, so a file of any size is never held in memory. CSV needs
/// a header with at least <see cref="ImportRow.Fields"/>; further columns (and NDJSON properties) are ignored.
/// </summary>
public static class ImportReader
{
    /// <summary>NDJSON by extension (.ndjson, .jsonl, .json), else by a first non-blank character of '{'; CSV otherwise.</summary>
    public static ImportFormat Detect(string? fileName, string? firstLine)
    {
        var extension = Path.GetExtension(fileName ?? "").ToLowerInvariant();
        if (extension is ".ndjson" or ".jsonl" or ".json") return ImportFormat.Ndjson;
        if (extension is ".csv") return ImportFormat.Csv;
        return firstLine?.TrimStart().StartsWith('{') == true ? ImportFormat.Ndjson : ImportFormat.Csv;
    }

    /// <summary>The header's missing columns; empty when the CSV header has them all.</summary>
    public static IReadOnlyList<string> MissingColumns(IEnumerable<string> header)
    {
        var present = header.Select(h => h.Trim().ToLowerInvariant()).ToHashSet();
        return ImportRow.Fields.Where(f => !present.Contains(f)).ToList();
    }

    public static IAsyncEnumerable<ImportRow> ReadAsync(TextReader reader, ImportFormat format, CancellationToken ct = default) =>
        format == ImportFormat.Csv ? ReadCsvAsync(reader, ct) : ReadNdjsonAsync(reader, ct);

    /// <summary>Reads only the CSV header and throws <see cref="ImportFormatException"/> when the file cannot be imported.</summary>
    public static async Task CheckCsvHeaderAsync(TextReader reader, CancellationToken ct = default)
    {
        await using var csv = CsvReader.Create(reader, CsvOptions, leaveOpen: true);
        await ReadHeaderAsync(csv, ct);
    }

    private static readonly CsvReaderOptions CsvOptions = new()
    {
        HasHeader = true,
        TrackLineNumbers = true,
        TrimWhitespace = true,
        NormalizeHeaderName = name => name.Trim().ToLowerInvariant(),
    };

    private static async Task ReadHeaderAsync(CsvReader csv, CancellationToken ct)
    {
        await csv.ReadHeaderAsync(ct);
        if (csv.Headers.Count == 0) throw new ImportFormatException("The file is empty: a CSV import starts with a header row naming its columns.");
        var missing = MissingColumns(csv.Headers);
        if (missing.Count > 0)
            throw new ImportFormatException($"The CSV header lacks the column(s) {string.Join(", ", missing)}; it needs {string.Join(", ", ImportRow.Fields)} (further columns are ignored).");
    }

    private static async IAsyncEnumerable<ImportRow> ReadCsvAsync(TextReader reader, [EnumeratorCancellation] CancellationToken ct)
    {
        await using var csv = CsvReader.Create(reader, CsvOptions, leaveOpen: true);
        await ReadHeaderAsync(csv, ct);

        while (await csv.ReadAsync(ct))
        {
            string? Field(string name) => csv.GetStringOrNull(name) is { Length: > 0 } value ? value : null;
            yield return new ImportRow(csv.LineNumber, Field("organisation_id"), Field("organisation_name"), Field("plan"),
                Field("stripe_customer_id"), Field("stripe_subscription_id"), Field("member_email"), Field("member_role"), Field("ai_calls_limit"));
        }
    }

    private static async IAsyncEnumerable<ImportRow> ReadNdjsonAsync(TextReader reader, [EnumeratorCancellation] CancellationToken ct)
    {
        long line = 0;
        while (await reader.ReadLineAsync(ct) is { } text)
        {
            line++;
            if (string.IsNullOrWhiteSpace(text)) continue;
            yield return ParseJsonLine(line, text);
        }
    }

    private static ImportRow ParseJsonLine(long line, string text)
    {
        try
        {
            using var document = JsonDocument.Parse(text);
            if (document.RootElement.ValueKind != JsonValueKind.Object) return Unreadable(line, "the line is not a JSON object");
            var root = document.RootElement;
            string? Field(string name) => root.TryGetProperty(name, out var value) ? value.ValueKind switch
            {
                JsonValueKind.String => value.GetString() is { Length: > 0 } s ? s.Trim() : null,
                JsonValueKind.Number => value.GetRawText(),
                JsonValueKind.Null => null,
                _ => value.GetRawText(),
            } : null;
            return new ImportRow(line, Field("organisation_id"), Field("organisation_name"), Field("plan"),
                Field("stripe_customer_id"), Field("stripe_subscription_id"), Field("member_email"), Field("member_role"), Field("ai_calls_limit"));
        }
        catch (JsonException)
        {
            return Unreadable(line, "the line is not valid JSON");
        }
    }

    private static ImportRow Unreadable(long line, string reason) =>
        new(line, null, null, null, null, null, null, null, null) { ReadError = reason };
}

/// <summary>The file as a whole cannot be imported (no header, missing columns): nothing was changed.</summary>
public sealed class ImportFormatException(string message) : Exception(message);

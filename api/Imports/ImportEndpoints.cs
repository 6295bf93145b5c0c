using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;
using Taskee.Api.Auth;
using Taskee.Api.Infrastructure;
using Taskee.Grains.Audit;
using Taskee.Grains.Storage;

namespace Taskee.Api.Imports;

/// <summary>
/// Customer import as a durable job (issue 15 §5): the file is streamed into the database in chunks, checked up front
/// (format, header) and queued; <see cref="ImportJobRunner"/> runs it; its status, counts, progress and rejected rows
/// are read here. Platform admins only: an import creates and changes organisations of every tenant.
/// </summary>
public static class ImportEndpoints
{
    /// <summary>Upload chunk size: one database row each, so neither upload nor run holds the file in memory.</summary>
    public const int ChunkBytes = 1 << 20;

    private const int ReportPageSize = 1000;

    public static void MapImportEndpoints(this IEndpointRouteBuilder app)
    {
        var maxFile = app.ServiceProvider.GetRequiredService<IOptions<ImportOptions>>().Value.MaxFileBytes;
        var group = app.MapGroup("/v1/imports").WithTags("Imports").RequireAuthorization(Permissions.Imports);
        group.MapPost("/", CreateAsync).Accepts<Stream>("text/csv", "application/x-ndjson").ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge).ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .WithMetadata(new BodySizeLimit(maxFile)).WithName("CreateImport")
            .WithSummary("Uploads a customer file (CSV with a header row, or NDJSON) and queues its import; ?dryRun=true only reports what would change.");
        group.MapGet("/{importId}", GetAsync).WithName("GetImport")
            .WithSummary("An import's status, counts, progress and first rejected rows.");
        group.MapGet("/{importId}/report", ReportAsync).Produces<string>(StatusCodes.Status200OK, "text/csv").ProducesProblem(StatusCodes.Status404NotFound)
            .WithName("GetImportReport").WithSummary("The import's report as CSV: line, outcome and reason of every row done so far.");
    }

    public static async Task<Results<Accepted<ImportAccepted>, ValidationProblem, ProblemHttpResult>> CreateAsync(
        HttpContext http, IImportStore store, IOptions<ImportOptions> options, TimeProvider clock, ILoggerFactory logs, CancellationToken ct,
        string? dryRun = null)
    {
        var dry = false;
        if (dryRun is not null && !bool.TryParse(dryRun, out dry)) return Problems.Validation("dryRun", "dryRun must be true or false.");
        if (FormatOf(http.Request.ContentType) is not { } format)
            return TypedResults.Problem(statusCode: StatusCodes.Status415UnsupportedMediaType, title: "Unsupported Media Type",
                detail: "Send the file as the body with Content-Type text/csv (a header row, then one row per member) or application/x-ndjson (one JSON object per line).");
        // Kestrel's own limit (30 MB) would cut a large file short; the endpoint's limit is Import:MaxFileBytes.
        if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } size) size.MaxRequestBodySize = options.Value.MaxFileBytes;

        var now = clock.GetUtcNow();
        var id = "imp_" + Ulid.NewUlid(now).ToLowerInvariant();
        var lines = new LineCounter();
        long bytes = 0;
        try
        {
            var buffer = new byte[ChunkBytes];
            for (long seq = 0; ; seq++)
            {
                var filled = await FillAsync(http.Request.Body, buffer, ct);
                if (filled == 0) break;
                var chunk = buffer[..filled];
                if (seq == 0 && format == ImportFormat.Csv && await HeaderProblemAsync(chunk, ct) is { } problem)
                {
                    await store.DiscardInputAsync(id, CancellationToken.None);
                    return Problems.Validation("file", problem);
                }
                lines.Count(chunk);
                bytes += filled;
                await store.AppendInputAsync(id, seq, chunk, ct);
                if (filled < buffer.Length) break;
            }
            lines.End();
            var rows = format == ImportFormat.Csv ? lines.NonBlank - 1 : lines.NonBlank;
            if (rows <= 0)
            {
                await store.DiscardInputAsync(id, CancellationToken.None);
                return Problems.Validation("file", format == ImportFormat.Csv
                    ? "The file has no rows: after the header row, one row per member is expected."
                    : "The file is empty: one JSON object per member and line is expected.");
            }

            var context = http.ChangeContext();
            var createdBy = $"{context.Actor.Kind}:{context.Actor.Id}";
            var formatName = format == ImportFormat.Csv ? "csv" : "ndjson";
            var job = new ImportJob(id, ImportStatuses.Queued, dry, formatName, bytes, rows, ImportJobCounts.Zero, createdBy, now, null, null, null);
            var after = JsonSerializer.Serialize(new { dryRun = dry, format = formatName, inputBytes = bytes, totalRows = rows }, JsonSerializerOptions.Web);
            await store.CreateAsync(job, new AuditRecord("import.queued", $"imports/{id}", null, after), context, ct);
            ImportLog.JobQueued(logs.CreateLogger(typeof(ImportEndpoints).FullName!), id, createdBy, bytes, rows, dry);
            return TypedResults.Accepted($"/v1/imports/{id}", new ImportAccepted(id, ImportStatuses.Queued));
        }
        catch
        {
            // Too large, cut off, or the database failed: no job was created, so its chunks go too.
            await store.DiscardInputAsync(id, CancellationToken.None);
            throw;
        }
    }

    public static async Task<Results<Ok<ImportResponse>, ProblemHttpResult>> GetAsync(string importId, IImportStore store, CancellationToken ct)
    {
        if (await store.GetAsync(importId, ct) is not { } job) return ImportNotFound(importId);
        var rejected = await store.ListRowsAsync(importId, 0, ImportResponse.MaxErrors + 1, rejectedOnly: true, ct);
        return TypedResults.Ok(ImportResponse.From(job, rejected));
    }

    /// <summary>Streams the recorded rows page by page; while the job runs, the rows done so far.</summary>
    public static async Task<Results<EmptyHttpResult, ProblemHttpResult>> ReportAsync(string importId, IImportStore store, HttpContext http, CancellationToken ct)
    {
        if (await store.GetAsync(importId, ct) is null) return ImportNotFound(importId);
        http.Response.ContentType = "text/csv; charset=utf-8";
        http.Response.Headers.ContentDisposition = $"attachment; filename=\"import-{importId}.csv\"";
        var body = http.Response.Body;
        await body.WriteAsync(Encoding.UTF8.GetBytes(ImportReport.Header + "\n"), ct);
        long after = 0;
        while (true)
        {
            var page = await store.ListRowsAsync(importId, after, ReportPageSize, rejectedOnly: false, ct);
            var text = new StringBuilder();
            foreach (var row in page) text.Append(ImportReport.Line(row.Line, row.Outcome, row.Reason)).Append('\n');
            await body.WriteAsync(Encoding.UTF8.GetBytes(text.ToString()), ct);
            if (page.Count < ReportPageSize) break;
            after = page[^1].Line;
        }
        return TypedResults.Empty;
    }

    private static ProblemHttpResult ImportNotFound(string importId) => Problems.NotFound($"Import '{importId}' was not found.");

    private static ImportFormat? FormatOf(string? contentType) =>
        MediaTypeHeaderValue.TryParse(contentType, out var media) ? media.MediaType.Value?.ToLowerInvariant() switch
        {
            "text/csv" => ImportFormat.Csv,
            "application/x-ndjson" or "application/jsonl" or "application/x-jsonlines" => ImportFormat.Ndjson,
            _ => null,
        } : null;

    /// <summary>What is wrong with the CSV header in the file's first chunk; null when it has every column.</summary>
    private static async Task<string?> HeaderProblemAsync(byte[] chunk, CancellationToken ct)
    {
        try
        {
            using var reader = new StreamReader(new MemoryStream(chunk));
            await ImportReader.CheckCsvHeaderAsync(reader, ct);
            return null;
        }
        catch (ImportFormatException ex)
        {
            return ex.Message + " Nothing was stored.";
        }
    }

    private static async Task<int> FillAsync(Stream body, byte[] buffer, CancellationToken ct)
    {
        var filled = 0;
        while (filled < buffer.Length && await body.ReadAsync(buffer.AsMemory(filled), ct) is var read and > 0) filled += read;
        return filled;
    }

    /// <summary>Counts the non-blank lines of a file fed in chunks: the progress' total.</summary>
    private sealed class LineCounter
    {
        private bool _content;

        public long NonBlank { get; private set; }

        public void Count(ReadOnlySpan<byte> chunk)
        {
            foreach (var b in chunk)
            {
                if (b == (byte)'\n')
                {
                    if (_content) NonBlank++;
                    _content = false;
                }
                else if (b is not ((byte)' ' or (byte)'\t' or (byte)'\r')) _content = true;
            }
        }

        public void End()
        {
            if (_content) NonBlank++;
            _content = false;
        }
    }
}

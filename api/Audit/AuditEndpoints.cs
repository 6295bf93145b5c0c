using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Taskee.Api.Auth;
using Taskee.Api.Infrastructure;
using Taskee.Grains.Audit;
using Taskee.Grains.Interfaces;
using Taskee.Grains.Storage;

namespace Taskee.Api.Audit;

public sealed record AuditEventResponse(
    string Id, string OrgId, long Seq, string At, AuditActor Actor, string Action, string Target,
    JsonElement? Before, JsonElement? After, string? RequestId, string? Ip, string PrevHash, string Hash)
{
    public static AuditEventResponse From(AuditEvent e) => new(e.Id, e.OrgId, e.Seq, e.At, e.Actor, e.Action, e.Target,
        Parse(e.Before), Parse(e.After), e.RequestId, e.Ip, e.PrevHash, e.Hash);

    private static JsonElement? Parse(string? json) => json is null ? null : JsonDocument.Parse(json).RootElement.Clone();
}

/// <summary>A page of events; pass <see cref="Next"/> as <c>after</c> to continue. Next is null at the end.</summary>
public sealed record AuditPage(IReadOnlyList<AuditEventResponse> Items, string? Next);

public static class AuditEndpoints
{
    public const int MaxPageSize = 1000;
    private const int ExportPageSize = 500;

    public static void MapAuditEndpoints(this IEndpointRouteBuilder app)
    {
        var org = app.MapGroup("/v1/organisations/{orgId}/audit").WithTags("Audit");
        org.MapGet("/", ListAsync).RequireAuthorization(Permissions.AuditRead).WithName("ListAuditEvents");
        org.MapGet("/export", ExportAsync).RequireAuthorization(Permissions.AuditExport).WithName("ExportAuditEvents");

        app.MapGet("/v1/audit", ListPlatformAsync).RequireAuthorization(Permissions.PlatformAuditRead)
            .WithTags("Audit").WithName("ListPlatformAuditEvents");
    }

    public static async Task<Results<Ok<AuditPage>, ValidationProblem, ProblemHttpResult>> ListAsync(
        string orgId, IAuditStore audit, IAuditRevealer revealer, OrganisationGrains grains, CancellationToken ct, string? after = null, int limit = 100)
    {
        if (await grains.GetAsync(orgId, ct) is null) return Problems.OrganisationNotFound(orgId);
        return await PageAsync(orgId, audit, revealer, after, limit, ct);
    }

    public static Task<Results<Ok<AuditPage>, ValidationProblem, ProblemHttpResult>> ListPlatformAsync(
        IAuditStore audit, IAuditRevealer revealer, CancellationToken ct, string? after = null, int limit = 100) =>
        PageAsync(AuditEvent.PlatformChain, audit, revealer, after, limit, ct);

    private static async Task<Results<Ok<AuditPage>, ValidationProblem, ProblemHttpResult>> PageAsync(
        string chain, IAuditStore audit, IAuditRevealer revealer, string? after, int limit, CancellationToken ct)
    {
        if (limit is < 1 or > MaxPageSize) return Problems.Validation("limit", $"limit must be between 1 and {MaxPageSize}.");
        long afterSeq = 0;
        if (after is not null && (!long.TryParse(after, out afterSeq) || afterSeq < 0))
            return Problems.Validation("after", "after must be a cursor from an earlier page's 'next'.");

        var events = await audit.ReadAsync(chain, afterSeq, limit, ct: ct);
        var next = events.Count == limit ? events[^1].Seq.ToString() : null;
        var shown = await revealer.RevealAsync(events, ct);
        return TypedResults.Ok(new AuditPage(shown.Select(e => AuditEventResponse.From(e.Shown)).ToList(), next));
    }

    /// <summary>
    /// Streams the chain page by page as NDJSON (verifiable offline: each line also carries the stored form of its sealed
    /// personal values) or CSV (as shown); never holds it whole. Personal values show opened, or erased. An NDJSON export
    /// of an unfiltered chain pruned by retention opens with its checkpoint line (see <see cref="AuditCheckpoint"/>).
    /// </summary>
    public static async Task<Results<EmptyHttpResult, ValidationProblem, ProblemHttpResult>> ExportAsync(
        string orgId, IAuditStore audit, IAuditRevealer revealer, IAuditRetentionStore retention, OrganisationGrains grains, HttpContext http, CancellationToken ct,
        string format = "ndjson", DateTimeOffset? from = null, DateTimeOffset? to = null)
    {
        if (format is not ("ndjson" or "csv")) return Problems.Validation("format", "format must be 'ndjson' or 'csv'.");
        if (from is not null && to is not null && from >= to) return Problems.Validation("to", "to must be later than from.");
        if (await grains.GetAsync(orgId, ct) is not { } grain) return Problems.OrganisationNotFound(orgId);

        if (!http.Caller().IsPlatform && await grain.RequireFeatureAsync(Features.AuditExport, "Audit export (GET .../audit is available)") is { } missing)
            return missing;

        http.Response.ContentType = format == "csv" ? "text/csv; charset=utf-8" : "application/x-ndjson";
        http.Response.Headers.ContentDisposition = $"attachment; filename=\"audit-{orgId}.{format}\"";

        var body = http.Response.Body;
        if (format == "csv") await body.WriteAsync(Encoding.UTF8.GetBytes(AuditCsv.Header + "\n"), ct);
        else if (from is null && to is null) await WriteCheckpointAsync(orgId, retention, body, ct);

        long afterSeq = 0;
        while (true)
        {
            var page = await audit.ReadAsync(orgId, afterSeq, ExportPageSize, from, to, ct);
            foreach (var e in await revealer.RevealAsync(page, ct))
            {
                if (format == "csv")
                {
                    await body.WriteAsync(Encoding.UTF8.GetBytes(AuditCsv.Row(e.Shown) + "\n"), ct);
                }
                else
                {
                    using var buffer = new MemoryStream();
                    using (var writer = new Utf8JsonWriter(buffer)) AuditHash.WriteExport(writer, e.Stored, e.Shown);
                    buffer.WriteByte((byte)'\n');
                    await body.WriteAsync(buffer.GetBuffer().AsMemory(0, (int)buffer.Length), ct);
                }
            }
            await body.FlushAsync(ct);
            if (page.Count < ExportPageSize) break;
            afterSeq = page[^1].Seq;
        }
        return TypedResults.Empty;
    }

    // Only a whole-chain export opens with the checkpoint: its verifier also checks the chain's last audit.pruned event,
    // which a 'to' filter may leave out; a filtered export is verified as a partial one (its first link taken as given).
    private static async Task WriteCheckpointAsync(string orgId, IAuditRetentionStore retention, Stream body, CancellationToken ct)
    {
        if (await retention.GetCheckpointAsync(orgId, ct) is not { } checkpoint) return;
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer)) checkpoint.WriteLine(writer);
        buffer.WriteByte((byte)'\n');
        await body.WriteAsync(buffer.GetBuffer().AsMemory(0, (int)buffer.Length), ct);
    }
}

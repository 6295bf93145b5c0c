using System.IO.Compression;
using System.Text.Json;
using Taskee.Api.Infrastructure;
using Taskee.Api.Organisations;
using Taskee.Grains.Audit;
using Taskee.Grains.Interfaces;
using Taskee.Grains.Storage;

namespace Taskee.Api.Offboarding;

/// <summary>
/// The full export of an organisation being offboarded, as a ZIP: <c>settings.json</c>, <c>members.json</c>,
/// <c>audit.ndjson</c> (its chain as the audit export writes it, opening with the retention checkpoint when pruned, so <c>verify-audit</c> checks it as
/// is), <c>usage.json</c> (current counters: no usage history is stored) and <c>invoices.json</c>. Built in a temporary
/// file that is deleted when the download closes, so neither the chain nor the archive is held in memory.
/// </summary>
public sealed class OffboardingExport(IAuditStore audit, IAuditRevealer revealer, IAuditRetentionStore retention, IUsageStore usage)
{
    private const int AuditPageSize = 500;

    public async Task<Stream> BuildAsync(Organisation organisation, IOrganisationGrain grain, CancellationToken ct)
    {
        var file = new FileStream(Path.GetTempFileName(), FileMode.Create, FileAccess.ReadWrite, FileShare.None, 81920,
            FileOptions.DeleteOnClose | FileOptions.Asynchronous);
        try
        {
            using (var zip = new ZipArchive(file, ZipArchiveMode.Create, leaveOpen: true))
            {
                WriteJson(zip, "settings.json", new
                {
                    organisation = OrganisationResponse.From(organisation),
                    auditRetentionDaysOverride = organisation.AuditRetentionDays,
                    offboarding = organisation.Offboarding,
                });
                WriteJson(zip, "members.json", await usage.ListMembersAsync(organisation.Id, ct));
                await WriteAuditAsync(zip, organisation.Id, ct);
                WriteJson(zip, "usage.json", await grain.GetUsageAsync());
                WriteJson(zip, "invoices.json", new
                {
                    stripe = organisation.Billing?.Invoices ?? [],
                    manual = organisation.Billing?.ManualInvoices ?? [],
                });
            }
            file.Position = 0;
            return file;
        }
        catch
        {
            await file.DisposeAsync();
            throw;
        }
    }

    private static void WriteJson<T>(ZipArchive zip, string name, T value)
    {
        using var entry = zip.CreateEntry(name, CompressionLevel.Optimal).Open();
        JsonSerializer.Serialize(entry, value, AuditJsonOptions.Options);
    }

    private async Task WriteAuditAsync(ZipArchive zip, string orgId, CancellationToken ct)
    {
        using var entry = zip.CreateEntry("audit.ndjson", CompressionLevel.Optimal).Open();
        if (await retention.GetCheckpointAsync(orgId, ct) is { } checkpoint) WriteLine(entry, checkpoint.WriteLine);
        long afterSeq = 0;
        while (true)
        {
            var page = await audit.ReadAsync(orgId, afterSeq, AuditPageSize, ct: ct);
            // As every export: personal values shown opened (or erased), with their stored form so the chain verifies.
            foreach (var e in await revealer.RevealAsync(page, ct)) WriteLine(entry, writer => AuditHash.WriteExport(writer, e.Stored, e.Shown));
            if (page.Count < AuditPageSize) break;
            afterSeq = page[^1].Seq;
        }
    }

    private static void WriteLine(Stream stream, Action<Utf8JsonWriter> write)
    {
        using (var writer = new Utf8JsonWriter(stream)) write(writer);
        stream.WriteByte((byte)'\n');
    }
}

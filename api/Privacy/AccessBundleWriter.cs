using System.Text.Json;
using System.Text.Json.Nodes;
using Taskee.Grains.Audit;
using Taskee.Grains.Interfaces;
using Taskee.Grains.Storage;

namespace Taskee.Api.Privacy;

/// <summary>
/// Streams an access bundle: every field of <see cref="DataInventory"/> that has a bundle place, for one person of one
/// organisation. The rows about the person are few; the audit events are read, revealed and written a page at a time,
/// so the bundle is never held whole. Audit events appear as audit export lines, each verifiable on its own hash.
/// </summary>
public sealed class AccessBundleWriter(IPrivacyRequestStore store, IAuditStore audit, IAuditRevealer revealer)
{
    private const int PageSize = 500;

    public async Task WriteJsonAsync(Stream body, PrivacyRequest request, DateTimeOffset now, CancellationToken ct)
    {
        var person = await store.ReadPersonAsync(request.OrgId, request.MemberId!, request.Emails, ct);
        await using var writer = new Utf8JsonWriter(body);
        writer.WriteStartObject();
        writer.WriteString("requestId", request.Id);
        writer.WriteString("orgId", request.OrgId);
        writer.WriteString("generatedAt", now);
        WriteMember(writer, person.Member);
        WriteScimUser(writer, person.ScimUser);
        writer.WriteStartArray("scimGroups");
        foreach (var group in person.ScimGroupIds) { writer.WriteStartObject(); writer.WriteString("groupId", group); writer.WriteEndObject(); }
        writer.WriteEndArray();
        writer.WriteStartArray("sessions");
        foreach (var s in person.Sessions)
        {
            writer.WriteStartObject();
            writer.WriteString("id", s.Id);
            writer.WriteString("amr", s.Amr);
            writer.WriteString("createdAt", s.CreatedAt);
            writer.WriteString("expiresAt", s.ExpiresAt);
            if (s.RevokedAt is { } revoked) writer.WriteString("revokedAt", revoked); else writer.WriteNull("revokedAt");
            writer.WriteEndObject();
        }
        writer.WriteEndArray();
        writer.WriteStartArray("apiKeys");
        foreach (var k in person.ApiKeys) { writer.WriteStartObject(); writer.WriteString("id", k.Id); writer.WriteString("name", k.Name); writer.WriteString("createdAt", k.CreatedAt); writer.WriteEndObject(); }
        writer.WriteEndArray();

        writer.WriteStartArray("auditEvents");
        await foreach (var e in EventsAboutAsync(request, ct))
        {
            AuditHash.WriteExport(writer, e.Stored, e.Shown);
            if (writer.BytesPending > 64 * 1024) await writer.FlushAsync(ct);
        }
        writer.WriteEndArray();
        writer.WriteEndObject();
        await writer.FlushAsync(ct);
    }

    /// <summary>The audit events about the person as CSV (the audit export's columns, values as shown).</summary>
    public async Task WriteAuditCsvAsync(Stream body, PrivacyRequest request, CancellationToken ct)
    {
        await body.WriteAsync(System.Text.Encoding.UTF8.GetBytes(Audit.AuditCsv.Header + "\n"), ct);
        await foreach (var e in EventsAboutAsync(request, ct))
            await body.WriteAsync(System.Text.Encoding.UTF8.GetBytes(Audit.AuditCsv.Row(e.Shown) + "\n"), ct);
    }

    /// <summary>Events the person made (actor), or that are about them (target a member or SCIM user path of theirs).</summary>
    private async IAsyncEnumerable<RevealedAuditEvent> EventsAboutAsync(PrivacyRequest request, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
    {
        var ids = request.Emails.Append(request.MemberId!).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var targets = new[] { $"organisations/{request.OrgId}/members/{request.MemberId}", $"organisations/{request.OrgId}/scim/users/{request.MemberId}" };
        long afterSeq = 0;
        while (true)
        {
            var page = await audit.ReadAsync(request.OrgId, afterSeq, PageSize, ct: ct);
            foreach (var e in await revealer.RevealAsync(page, ct))
            {
                var shown = e.Shown;
                var byThem = shown.Actor.Kind == "user" && ids.Contains(shown.Actor.Id);
                var aboutThem = targets.Any(t => shown.Target == t || shown.Target.StartsWith(t + "/", StringComparison.Ordinal));
                if (byThem || aboutThem) yield return e;
            }
            if (page.Count < PageSize) yield break;
            afterSeq = page[^1].Seq;
        }
    }

    private static void WriteMember(Utf8JsonWriter writer, Member? member)
    {
        if (member is null) { writer.WriteNull("member"); return; }
        writer.WriteStartObject("member");
        writer.WriteString("userId", member.UserId);
        writer.WriteString("email", member.Email);
        writer.WriteString("role", member.Role);
        writer.WriteString("addedAt", member.AddedAt);
        writer.WriteEndObject();
    }

    private static void WriteScimUser(Utf8JsonWriter writer, PersonScimUser? user)
    {
        if (user is null) { writer.WriteNull("scimUser"); return; }
        var attributes = JsonNode.Parse(user.Attributes) as JsonObject ?? [];
        writer.WriteStartObject("scimUser");
        writer.WriteString("id", user.Id);
        writer.WriteString("userName", user.UserName);
        if (user.ExternalId is { } externalId) writer.WriteString("externalId", externalId); else writer.WriteNull("externalId");
        foreach (var name in new[] { "name", "displayName", "emails", "profile" })
        {
            writer.WritePropertyName(name);
            if (attributes[name] is { } value) value.WriteTo(writer); else writer.WriteNullValue();
        }
        writer.WriteBoolean("active", user.Active);
        writer.WriteEndObject();
    }
}

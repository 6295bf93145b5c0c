using System.Collections.Frozen;
using System.Data.Common;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Taskee.Grains.Audit;
using Taskee.Grains.Interfaces;
using Taskee.Grains.Storage;

namespace Taskee.Silo.Storage;

/// <summary>
/// Seals the personal fields of an audit event under their person's key before the event is hashed and stored
/// (crypto-shredding, ADR 0011). Which fields are personal is decided here, in one place:
/// <list type="bullet">
/// <item>a person acting (actor kind <c>user</c>): the actor id and the IP, under the actor's key;</item>
/// <item>an event about a person (its target is a member or a SCIM user, or below one): that id in the target, and the
/// personal properties (<see cref="PersonalProperties"/>) anywhere in before/after, under that person's key;</item>
/// <item>an event about a SCIM group: each member id in its <c>members</c> lists, under that member's key.</item>
/// </list>
/// </summary>
public sealed partial class AuditSealer(SubjectKeyProtector protector)
{
    /// <summary>Properties of before/after that hold personal data when the event is about a person.</summary>
    public static readonly FrozenSet<string> PersonalProperties = new[]
    {
        "id", "userId", "email", "emails", "userName", "name", "displayName", "nickName", "externalId", "subject",
        "profile", "phoneNumbers", "addresses", "photos", "ims",
    }.ToFrozenSet(StringComparer.Ordinal);

    /// <summary>The person an event is about, from its target: <c>organisations/{org}/members/{id}</c> or <c>.../scim/users/{id}</c>, and below.</summary>
    [GeneratedRegex("^(organisations/[^/]+/(?:members|scim/users)/)([^/]+)(/.*)?$", RegexOptions.CultureInvariant)]
    private static partial Regex PersonTarget();

    [GeneratedRegex("^organisations/[^/]+/scim/groups/", RegexOptions.CultureInvariant)]
    private static partial Regex GroupTarget();

    public async Task<(AuditRecord Record, ChangeContext Context)> SealAsync(DbConnection connection, DbTransaction transaction,
        string chainId, AuditRecord record, ChangeContext context, DateTimeOffset now)
    {
        var keys = new Dictionary<string, (string Id, byte[] Key)>(StringComparer.Ordinal);
        async Task<(string Id, byte[] Key)> KeyOf(string subject)
        {
            if (!keys.TryGetValue(subject, out var key))
                keys[subject] = key = await SubjectKeys.GetOrCreateAsync(connection, transaction, protector, chainId, subject, now);
            return key;
        }

        if (context.Actor.Kind == "user" && !SealedValue.TryParse(context.Actor.Id, out _))
        {
            var (id, key) = await KeyOf(context.Actor.Id);
            context = context with
            {
                Actor = context.Actor with { Id = SealedValue.Seal(key, id, context.Actor.Id) },
                Ip = context.Ip is null ? null : SealedValue.Seal(key, id, context.Ip),
            };
        }

        if (PersonTarget().Match(record.Target) is { Success: true } match)
        {
            var subject = match.Groups[2].Value;
            var (id, key) = await KeyOf(subject);
            record = record with
            {
                Target = match.Groups[1].Value + SealedValue.Seal(key, id, subject) + match.Groups[3].Value,
                Before = SealJson(record.Before, key, id),
                After = SealJson(record.After, key, id),
            };
        }
        else if (GroupTarget().IsMatch(record.Target))
        {
            record = record with { Before = await SealMembersAsync(record.Before, KeyOf), After = await SealMembersAsync(record.After, KeyOf) };
        }
        return (record, context);
    }

    /// <summary>Seals each member id of a group's <c>members</c> list under that member's own key.</summary>
    private static async Task<string?> SealMembersAsync(string? json, Func<string, Task<(string Id, byte[] Key)>> keyOf)
    {
        if (json is null || JsonNode.Parse(json) is not JsonObject { } group || group["members"] is not JsonArray members) return json;
        for (var i = 0; i < members.Count; i++)
        {
            if (members[i] is not JsonValue v || v.GetValueKind() != System.Text.Json.JsonValueKind.String) continue;
            var memberId = v.GetValue<string>();
            if (SealedValue.TryParse(memberId, out _)) continue;
            var (id, key) = await keyOf(memberId);
            members[i] = SealedValue.Seal(key, id, memberId);
        }
        return group.ToJsonString();
    }

    private static string? SealJson(string? json, byte[] key, string keyId)
    {
        if (json is null || JsonNode.Parse(json) is not { } node) return json;
        SealNode(node, key, keyId);
        return node.ToJsonString();
    }

    private static void SealNode(JsonNode node, byte[] key, string keyId)
    {
        switch (node)
        {
            case JsonObject o:
                foreach (var name in o.Select(p => p.Key).ToList())
                {
                    if (o[name] is not { } value) continue;
                    if (PersonalProperties.Contains(name))
                        o[name] = value is JsonValue v && v.GetValueKind() == System.Text.Json.JsonValueKind.String
                            ? SealedValue.Seal(key, keyId, v.GetValue<string>())
                            : SealedValue.Seal(key, keyId, value.ToJsonString(), isJson: true);
                    else
                        SealNode(value, key, keyId);
                }
                break;
            case JsonArray a:
                foreach (var item in a)
                    if (item is not null) SealNode(item, key, keyId);
                break;
        }
    }
}

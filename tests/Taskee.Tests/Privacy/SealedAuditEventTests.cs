using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using Taskee.Grains.Audit;
using Taskee.Grains.Interfaces;

namespace Taskee.Tests.Privacy;

/// <summary>Crypto-shredded audit events without a node: sealing, revealing, erasing, and the offline verifier on both exports.</summary>
public sealed class SealedAuditEventTests
{
    private static readonly byte[] AliceKey = RandomNumberGenerator.GetBytes(32);
    private static readonly string AliceKeyId = Ulid.NewUlid(DateTimeOffset.UtcNow);

    private static string Seal(string value, bool json = false) => SealedValue.Seal(AliceKey, AliceKeyId, value, json);

    private static AuditEvent Stored(AuditEvent? previous = null)
    {
        var after = new JsonObject
        {
            ["userId"] = Seal("u-alice"),
            ["email"] = Seal("alice@example.com"),
            ["name"] = Seal("""{"givenName":"Alice","familyName":"Jansen"}""", json: true),
            ["role"] = "admin",
        }.ToJsonString();
        var e = new AuditEvent(Ulid.NewUlid(DateTimeOffset.UtcNow), "acme", (previous?.Seq ?? 0) + 1, "2026-11-22T10:00:00.000Z",
            new AuditActor("user", Seal("u-alice")), "member.added", $"organisations/acme/members/{Seal("u-alice")}", null, after,
            "req-1", Seal("203.0.113.7"), previous?.Hash ?? AuditEvent.GenesisHash, "");
        return e with { Hash = AuditHash.Compute(e) };
    }

    private static string Line(AuditEvent stored, IReadOnlyDictionary<string, byte[]> keys)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer)) AuditHash.WriteExport(writer, stored, AuditReveal.Reveal(stored, keys));
        return System.Text.Encoding.UTF8.GetString(buffer.ToArray());
    }

    private static readonly Dictionary<string, byte[]> Live = new() { [AliceKeyId] = AliceKey };
    private static readonly Dictionary<string, byte[]> Destroyed = [];

    [Fact]
    public void A_sealed_value_opens_with_its_key_only()
    {
        var token = Seal("alice@example.com");

        Assert.True(SealedValue.TryParse(token, out var keyId));
        Assert.Equal(AliceKeyId, keyId);
        Assert.DoesNotContain("alice", token, StringComparison.OrdinalIgnoreCase);
        Assert.True(SealedValue.TryOpen(token, AliceKey, out var value, out var isJson));
        Assert.Equal("alice@example.com", value);
        Assert.False(isJson);
        Assert.False(SealedValue.TryOpen(token, RandomNumberGenerator.GetBytes(32), out _, out _));
    }

    [Fact]
    public void A_revealed_event_shows_plain_values_while_the_key_lives_and_erased_after()
    {
        var stored = Stored();

        var live = AuditReveal.Reveal(stored, Live);
        var erased = AuditReveal.Reveal(stored, Destroyed);

        Assert.Equal("u-alice", live.Actor.Id);
        Assert.Equal("203.0.113.7", live.Ip);
        Assert.Equal("organisations/acme/members/u-alice", live.Target);
        var after = JsonNode.Parse(live.After!)!;
        Assert.Equal("alice@example.com", after["email"]!.GetValue<string>());
        Assert.Equal("Jansen", after["name"]!["familyName"]!.GetValue<string>());
        Assert.Equal("admin", after["role"]!.GetValue<string>());

        Assert.Equal(SealedValue.Erased, erased.Actor.Id);
        Assert.Equal(SealedValue.Erased, erased.Ip);
        Assert.Equal($"organisations/acme/members/{SealedValue.Erased}", erased.Target);
        Assert.Equal(SealedValue.Erased, JsonNode.Parse(erased.After!)!["name"]!.GetValue<string>());
        Assert.Equal(stored.Hash, erased.Hash);
    }

    [Fact]
    public void Exports_taken_before_and_after_erasure_both_verify()
    {
        var first = Stored();
        var second = Stored(first);

        var before = new[] { Line(first, Live), Line(second, Live) };
        var after = new[] { Line(first, Destroyed), Line(second, Destroyed) };

        Assert.True(AuditChainVerifier.Verify(before).IsIntact);
        Assert.True(AuditChainVerifier.Verify(after).IsIntact);
        Assert.Contains("alice@example.com", before[0]);
        Assert.DoesNotContain("alice", after[0], StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("203.0.113.7", after[0]);
    }

    [Fact]
    public void A_changed_non_personal_value_in_the_shown_event_fails_verification_though_the_stored_form_is_intact()
    {
        var line = JsonNode.Parse(Line(Stored(), Live))!;
        line["after"]!["role"] = "owner";

        var result = AuditChainVerifier.Verify([line.ToJsonString()]);

        Assert.False(result.IsIntact);
        Assert.Contains("outside its sealed personal values", result.Problem);
    }

    [Fact]
    public void A_changed_stored_form_fails_verification()
    {
        var line = JsonNode.Parse(Line(Stored(), Live))!;
        line["stored"]!["ip"] = Seal("198.51.100.1");

        Assert.False(AuditChainVerifier.Verify([line.ToJsonString()]).IsIntact);
    }

    [Fact]
    public void An_event_without_personal_values_exports_exactly_as_before()
    {
        var e = new AuditEvent(Ulid.NewUlid(DateTimeOffset.UtcNow), "acme", 1, "2026-11-22T10:00:00.000Z",
            new AuditActor("apiKey", "k1"), "org.renamed", "organisations/acme", null, """{"name":"Zorg"}""", "req-1", null, AuditEvent.GenesisHash, "");
        e = e with { Hash = AuditHash.Compute(e) };

        var line = Line(e, Destroyed);

        Assert.DoesNotContain("\"stored\"", line);
        Assert.Equal(e, AuditHash.Parse(line));
    }
}

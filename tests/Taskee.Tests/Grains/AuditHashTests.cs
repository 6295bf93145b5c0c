using System.Text.Json;
using Taskee.Grains.Audit;
using Taskee.Grains.Interfaces;

namespace Taskee.Tests.Grains;

public sealed class AuditHashTests
{
    private static AuditEvent Chain(AuditEvent? previous, string action, string? after)
    {
        var e = new AuditEvent(Ulid.NewUlid(DateTimeOffset.UtcNow), "acme", (previous?.Seq ?? 0) + 1, "2026-11-22T10:00:00.000Z",
            new AuditActor("apiKey", "k1"), action, "organisations/acme", null, after, "req-1", "127.0.0.1",
            previous?.Hash ?? AuditEvent.GenesisHash, "");
        return e with { Hash = AuditHash.Compute(e) };
    }

    private static string Line(AuditEvent e)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream)) AuditHash.WriteExport(writer, e);
        return System.Text.Encoding.UTF8.GetString(stream.ToArray());
    }

    [Fact]
    public void An_exported_event_parses_back_to_the_same_event_and_hash()
    {
        var e = Chain(null, "org.created", """{"name":"Zorg \"Noord\"","limits":{"seats":5},"ünïcode":"é"}""");

        var parsed = AuditHash.Parse(Line(e));

        Assert.Equal(e, parsed);
        Assert.Equal(e.Hash, AuditHash.Compute(parsed));
    }

    [Fact]
    public void Any_change_to_any_field_changes_the_hash()
    {
        var e = Chain(null, "org.created", """{"a":1}""");
        var variants = new[]
        {
            e with { Action = "org.deleted" }, e with { After = """{"a":2}""" }, e with { Before = "{}" }, e with { Seq = 2 },
            e with { At = "2026-11-22T10:00:00.001Z" }, e with { Actor = new AuditActor("apiKey", "k2") }, e with { Ip = null },
            e with { PrevHash = new string('1', 64) }, e with { RequestId = "req-2" }, e with { OrgId = "other" },
        };
        Assert.All(variants, v => Assert.NotEqual(e.Hash, AuditHash.Compute(v)));
    }

    [Fact]
    public void A_chain_verifies_and_a_reordered_chain_does_not()
    {
        var first = Chain(null, "a", null);
        var second = Chain(first, "b", null);
        var third = Chain(second, "c", null);

        Assert.True(AuditChainVerifier.Verify([Line(first), Line(second), Line(third)]).IsIntact);
        var swapped = AuditChainVerifier.Verify([Line(first), Line(third), Line(second)]);
        Assert.False(swapped.IsIntact);
        Assert.Equal(2, swapped.BrokenAtLine);
    }

    [Fact]
    public void Ulids_sort_by_time()
    {
        var earlier = Ulid.NewUlid(DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_000_000));
        var later = Ulid.NewUlid(DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_000_001));
        Assert.Equal(26, earlier.Length);
        Assert.True(string.CompareOrdinal(earlier, later) < 0);
    }
}

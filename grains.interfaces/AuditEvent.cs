namespace Taskee.Grains.Interfaces;

/// <summary>Who made a change. Kinds: user, apiKey, system, stripe, scim.</summary>
[GenerateSerializer, Immutable]
[Alias("AuditActor")]
public sealed record AuditActor(string Kind, string Id)
{
    public static readonly AuditActor System = new("system", "control-plane");
}

/// <summary>Who asked for a change and from where; copied into its audit event.</summary>
[GenerateSerializer, Immutable]
[Alias("ChangeContext")]
public sealed record ChangeContext(AuditActor Actor, string? RequestId, string? Ip);

/// <summary>
/// One recorded change. Events of one organisation form a hash chain:
/// <c>Hash = SHA-256(PrevHash || canonical event)</c>, so an export can be verified offline.
/// <see cref="Before"/> and <see cref="After"/> hold compact JSON text (or null).
/// </summary>
/// <param name="OrgId">The organisation whose chain holds the event; platform events (plans, flags) use <see cref="PlatformChain"/>.</param>
/// <param name="Seq">Position in the chain, from 1; readers resume from it.</param>
/// <param name="At">UTC time, ISO 8601 with milliseconds, exactly as hashed.</param>
[GenerateSerializer, Immutable]
[Alias("AuditEvent")]
public sealed record AuditEvent(
    string Id,
    string OrgId,
    long Seq,
    string At,
    AuditActor Actor,
    string Action,
    string Target,
    string? Before,
    string? After,
    string? RequestId,
    string? Ip,
    string PrevHash,
    string Hash)
{
    /// <summary>Chain id of platform-wide events. Not a valid organisation slug, so it cannot collide.</summary>
    public const string PlatformChain = "_platform";

    /// <summary>The previous hash of a chain's first event.</summary>
    public static readonly string GenesisHash = new('0', 64);
}

using Taskee.Grains.Interfaces;

namespace Taskee.Grains.Storage;

/// <summary>
/// "Something changed" that silos hold a copy of: the catalog (plans and flags, with its new version), an API key
/// (revoked, rotated), or an organisation's identity settings (custom roles, SSO). Announced to every silo after commit;
/// receivers reload what the notice names. Organisations need none: their one grain holds the only copy.
/// </summary>
[GenerateSerializer, Immutable]
[Alias("ChangeNotice")]
public sealed record ChangeNotice(string Kind, string Id, long Version)
{
    public const string Catalog = "catalog";
    public const string ApiKey = "apikey";
    public const string Identity = "identity";
}

/// <summary>Told what a committed transaction changed: the notices it raised and the audit events it appended.</summary>
public interface ICommitListener
{
    Task CommittedAsync(IReadOnlyList<ChangeNotice> notices, IReadOnlyList<AuditEvent> events);
}

namespace Taskee.Grains.Storage;

/// <summary>
/// "Something changed" between nodes: an organisation (with its new version), the catalog (plans and
/// flags), an API key (revoked, rotated), or an organisation's identity settings (custom roles, SSO).
/// Receivers reload what the notice names; small enough for NOTIFY.
/// </summary>
public sealed record ChangeNotice(string Kind, string Id, long Version)
{
    public const string Organisation = "org";
    public const string Catalog = "catalog";
    public const string ApiKey = "apikey";
    public const string Identity = "identity";

    public string ToPayload() => $"{Kind}|{Version}|{Id}";

    public static ChangeNotice? Parse(string payload)
    {
        var parts = payload.Split('|', 3);
        return parts.Length == 3 && long.TryParse(parts[1], out var version) ? new ChangeNotice(parts[0], parts[2], version) : null;
    }
}

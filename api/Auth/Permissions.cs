using System.Collections.Frozen;

namespace Taskee.Api.Auth;

/// <summary>
/// Every permission an endpoint can require, and which API key scopes grant it: the one table
/// that says who may do what. Platform permissions are never granted to an organisation's caller.
/// </summary>
public static class Permissions
{
    // Organisation permissions: the caller must also belong to the organisation in the path.
    public const string OrgRead = "org:read";
    public const string OrgWrite = "org:write";
    public const string EntitlementsRead = "entitlements:read";
    public const string KeysRead = "keys:read";
    public const string KeysWrite = "keys:write";
    public const string AuditRead = "audit:read";
    public const string AuditExport = "audit:export";
    public const string PlansRead = "plans:read";
    public const string UsageRead = "usage:read";
    public const string UsageWrite = "usage:write";
    public const string MembersRead = "members:read";
    public const string MembersWrite = "members:write";
    public const string BillingRead = "billing:read";

    // Platform permissions: settings that decide what a tenant pays for, or that span tenants.
    public const string OrgsCreate = "platform:orgs:create";
    public const string OrgsList = "platform:orgs:list";
    public const string OrgPlanWrite = "platform:org-plan:write";
    public const string LimitsWrite = "platform:limits:write";
    public const string FeaturesWrite = "platform:features:write";
    public const string PlansWrite = "platform:plans:write";
    public const string FlagsRead = "platform:flags:read";
    public const string FlagsWrite = "platform:flags:write";
    public const string PlatformAuditRead = "platform:audit:read";
    public const string OpsRead = "platform:ops:read";
    public const string BillingWrite = "platform:billing:write";
    public const string InvoicesWrite = "platform:invoices:write";

    public static bool IsPlatform(string permission) => permission.StartsWith("platform:", StringComparison.Ordinal);

    /// <summary>Scopes an API key can carry.</summary>
    public static class Scopes
    {
        /// <summary>This organisation's admin API.</summary>
        public const string Admin = "admin";

        /// <summary>The product API: usage checks and entitlements.</summary>
        public const string Usage = "usage";

        /// <summary>Everything, on every organisation. Only platform keys carry it.</summary>
        public const string PlatformAdmin = "platform-admin";

        public static readonly IReadOnlyList<string> ForOrganisationKeys = [Admin, Usage];
    }

    private static readonly string[] AllPermissions =
    [
        OrgRead, OrgWrite, EntitlementsRead, KeysRead, KeysWrite, AuditRead, AuditExport, PlansRead,
        UsageRead, UsageWrite, MembersRead, MembersWrite, BillingRead,
        OrgsCreate, OrgsList, OrgPlanWrite, LimitsWrite, FeaturesWrite, PlansWrite, FlagsRead, FlagsWrite, PlatformAuditRead, OpsRead,
        BillingWrite, InvoicesWrite,
    ];

    private static readonly FrozenDictionary<string, FrozenSet<string>> ByScope = new Dictionary<string, FrozenSet<string>>
    {
        [Scopes.Admin] = new[]
        {
            OrgRead, OrgWrite, EntitlementsRead, KeysRead, KeysWrite, AuditRead, AuditExport, PlansRead, UsageRead, MembersRead, MembersWrite,
            BillingRead,
        }.ToFrozenSet(),
        [Scopes.Usage] = new[] { EntitlementsRead, UsageRead, UsageWrite }.ToFrozenSet(),
        [Scopes.PlatformAdmin] = AllPermissions.ToFrozenSet(),
    }.ToFrozenDictionary();

    public static bool Grants(IEnumerable<string> scopes, string permission) =>
        scopes.Any(scope => ByScope.TryGetValue(scope, out var granted) && granted.Contains(permission));
}

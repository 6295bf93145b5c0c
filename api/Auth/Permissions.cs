using System.Collections.Frozen;

namespace Taskee.Api.Auth;

/// <summary>
/// Every permission an endpoint can require. Endpoints name theirs with <c>RequireAuthorization(Permissions.X)</c>;
/// <see cref="Roles"/> says which role or key scope grants which. Platform permissions are never granted to a
/// caller of one organisation.
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
    public const string RolesRead = "roles:read";
    public const string RolesWrite = "roles:write";
    public const string SsoRead = "sso:read";
    public const string SsoWrite = "sso:write";
    public const string BillingRead = "billing:read";
    /// <summary>SCIM provisioning at /scim/v2: held by the key scope <c>scim</c> only (see <see cref="Roles.Scim"/>).</summary>
    public const string ScimRead = "scim:read";
    public const string ScimWrite = "scim:write";
    /// <summary>Outgoing webhook endpoints and their deliveries (owner and admin; the organisation needs feature <c>api_access</c>).</summary>
    public const string WebhooksRead = "webhooks:read";
    public const string WebhooksWrite = "webhooks:write";
    public const string OnboardingRead = "onboarding:read";
    public const string OnboardingWrite = "onboarding:write";
    /// <summary>Data-subject requests (access and erasure of a member): owner and admin.</summary>
    public const string PrivacyRead = "privacy:read";
    public const string PrivacyWrite = "privacy:write";

    /// <summary>Offboarding the organisation (its data is deleted after the window): its owner only, or a platform admin.</summary>
    public const string OrgOffboard = "org:offboard";

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
    public const string AuthStatusRead = "platform:auth:read";
    public const string BillingWrite = "platform:billing:write";
    public const string InvoicesWrite = "platform:invoices:write";
    /// <summary>The Orleans dashboard at /dashboard: silos, grain types, activations (platform admins only).</summary>
    public const string ClusterDashboard = "platform:cluster:dashboard";
    /// <summary>Sales leads of the enterprise intake (they hold prospects' contact details): platform roles only.</summary>
    public const string LeadsRead = "platform:leads:read";
    public const string LeadsWrite = "platform:leads:write";

    /// <summary>Customer imports (<c>/v1/imports</c>): they create and change organisations of every tenant, so platform admins only.</summary>
    public const string Imports = "platform:imports";

    public static bool IsPlatform(string permission) => permission.StartsWith("platform:", StringComparison.Ordinal);

    public static readonly FrozenSet<string> All = new[]
    {
        OrgRead, OrgWrite, EntitlementsRead, KeysRead, KeysWrite, AuditRead, AuditExport, PlansRead, UsageRead, UsageWrite,
        MembersRead, MembersWrite, RolesRead, RolesWrite, SsoRead, SsoWrite, BillingRead, ScimRead, ScimWrite,
        WebhooksRead, WebhooksWrite, OnboardingRead, OnboardingWrite, PrivacyRead, PrivacyWrite, OrgOffboard,
        OrgsCreate, OrgsList, OrgPlanWrite, LimitsWrite, FeaturesWrite, PlansWrite, FlagsRead, FlagsWrite, PlatformAuditRead, OpsRead, AuthStatusRead,
        BillingWrite, InvoicesWrite, ClusterDashboard, LeadsRead, LeadsWrite, Imports,
    }.ToFrozenSet();

    /// <summary>
    /// Permissions a custom role of an organisation may hold: the organisation ones, except SCIM's, which belong to the
    /// directory's key (scope <c>scim</c>) and never to a person.
    /// </summary>
    public static readonly FrozenSet<string> Assignable = All.Where(p => !IsPlatform(p) && p is not (ScimRead or ScimWrite or OrgOffboard)).ToFrozenSet();
}

/// <summary>
/// The role table: built-in organisation roles, platform roles, and the extra API key scope <c>usage</c>.
/// An API key's scopes are names from this table too.
/// </summary>
public static class Roles
{
    public const string Owner = "owner";
    public const string Admin = "admin";
    public const string Billing = "billing";
    public const string Auditor = "auditor";
    public const string Member = "member";
    public const string PlatformAdmin = "platform-admin";
    public const string PlatformSupport = "platform-support";

    /// <summary>Key scope for product services: usage decisions and entitlements, nothing else.</summary>
    public const string Usage = "usage";

    /// <summary>Key scope for an identity provider's SCIM client: /scim/v2 of its organisation, nothing else.</summary>
    public const string Scim = "scim";

    public static readonly IReadOnlyList<string> BuiltIn = [Owner, Admin, Billing, Auditor, Member];

    /// <summary>Scopes an organisation's API key may carry.</summary>
    public static readonly IReadOnlyList<string> OrganisationKeyScopes = [Owner, Admin, Billing, Auditor, Member, Usage, Scim];

    private static readonly string[] AdminPermissions =
    [
        Permissions.OrgRead, Permissions.OrgWrite, Permissions.EntitlementsRead, Permissions.KeysRead, Permissions.KeysWrite,
        Permissions.AuditRead, Permissions.AuditExport, Permissions.PlansRead, Permissions.UsageRead,
        Permissions.MembersRead, Permissions.MembersWrite, Permissions.RolesRead, Permissions.SsoRead, Permissions.BillingRead,
        Permissions.WebhooksRead, Permissions.WebhooksWrite, Permissions.OnboardingRead, Permissions.OnboardingWrite,
        Permissions.PrivacyRead, Permissions.PrivacyWrite,
    ];

    public static readonly FrozenDictionary<string, FrozenSet<string>> Grants = new Dictionary<string, FrozenSet<string>>
    {
        [Owner] = AdminPermissions.Concat([Permissions.RolesWrite, Permissions.SsoWrite, Permissions.OrgOffboard]).ToFrozenSet(),
        [Admin] = AdminPermissions.ToFrozenSet(),
        [Billing] = new[] { Permissions.OrgRead, Permissions.EntitlementsRead, Permissions.PlansRead, Permissions.BillingRead, Permissions.UsageRead }.ToFrozenSet(),
        [Auditor] = new[] { Permissions.OrgRead, Permissions.EntitlementsRead, Permissions.PlansRead, Permissions.AuditRead, Permissions.AuditExport }.ToFrozenSet(),
        [Member] = new[] { Permissions.OrgRead, Permissions.EntitlementsRead, Permissions.PlansRead, Permissions.UsageRead }.ToFrozenSet(),
        [Usage] = new[] { Permissions.EntitlementsRead, Permissions.UsageRead, Permissions.UsageWrite }.ToFrozenSet(),
        [Scim] = new[] { Permissions.ScimRead, Permissions.ScimWrite }.ToFrozenSet(),
        [PlatformAdmin] = Permissions.All,
        [PlatformSupport] = new[]
        {
            Permissions.OrgRead, Permissions.EntitlementsRead, Permissions.KeysRead, Permissions.AuditRead, Permissions.PlansRead,
            Permissions.UsageRead, Permissions.MembersRead, Permissions.RolesRead, Permissions.SsoRead, Permissions.BillingRead,
            Permissions.WebhooksRead, Permissions.OrgsList, Permissions.FlagsRead, Permissions.PlatformAuditRead, Permissions.OpsRead, Permissions.AuthStatusRead,
            Permissions.LeadsRead, Permissions.OnboardingRead,
        }.ToFrozenSet(),
    }.ToFrozenDictionary();

    public static bool IsPlatformRole(string role) => role is PlatformAdmin or PlatformSupport;

    /// <summary>The permissions of a set of role (or scope) names; custom roles of the organisation resolve through <paramref name="custom"/>.</summary>
    public static HashSet<string> Expand(IEnumerable<string> roles, IReadOnlyDictionary<string, IReadOnlyList<string>>? custom = null)
    {
        var permissions = new HashSet<string>(StringComparer.Ordinal);
        foreach (var role in roles)
        {
            if (Grants.TryGetValue(role, out var granted)) permissions.UnionWith(granted);
            else if (custom is not null && custom.TryGetValue(role, out var customGrants)) permissions.UnionWith(customGrants.Where(Permissions.Assignable.Contains));
        }
        return permissions;
    }
}

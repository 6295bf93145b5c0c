namespace Taskee.Grains.Interfaces;

/// <summary>The product features that plans grant. Global flags may add keys of their own.</summary>
public static class Features
{
    public const string Sso = "sso";
    public const string Scim = "scim";
    public const string ApiAccess = "api_access";
    public const string AdvancedReports = "advanced_reports";
    public const string AuditExport = "audit_export";
    public const string CustomRoles = "custom_roles";

    public static readonly IReadOnlyList<string> All = [Sso, Scim, ApiAccess, AdvancedReports, AuditExport, CustomRoles];

    /// <summary>Feature and flag keys: lower case, digits, '_', '-' or '.', 2 to 64 characters.</summary>
    public static bool IsValidKey(string key) =>
        key.Length is >= 2 and <= 64
        && key[0] is >= 'a' and <= 'z'
        && key.All(c => c is >= 'a' and <= 'z' or >= '0' and <= '9' or '_' or '-' or '.');
}

using Taskee.Grains.Interfaces.Scim;
using Taskee.Grains.Storage;

namespace Taskee.Grains.Scim;

/// <summary>
/// The one place that decides which group grants which role (group key → role): the organisation's explicit mapping
/// (<c>PUT /v1/organisations/{orgId}/scim/group-roles</c>) when it has one, otherwise the SAML settings' <c>groupRoles</c>.
/// </summary>
public sealed class ScimGroupRoleMapping(IScimStore store, ISamlStore saml)
{
    private static readonly IReadOnlyDictionary<string, string> None = new Dictionary<string, string>(StringComparer.Ordinal);

    /// <param name="explicitRoles">The explicit mapping about to be written, instead of the stored one.</param>
    public async Task<IReadOnlyDictionary<string, string>> ResolveAsync(string orgId, IReadOnlyList<ScimGroupRole>? explicitRoles = null, CancellationToken ct = default)
    {
        var roles = explicitRoles ?? await store.GetGroupRolesAsync(orgId, ct);
        if (roles.Count > 0) return ToMapping(roles);
        // Without a mapping of its own the directory follows the SAML sign-in's, so both give a person the same role.
        return await saml.GetAsync(orgId, ct) is { GroupRoles.Count: > 0 } settings
            ? settings.GroupRoles.ToDictionary(g => ScimRoles.GroupKey(g.Key), g => g.Value, StringComparer.Ordinal)
            : None;
    }

    public static IReadOnlyDictionary<string, string> ToMapping(IEnumerable<ScimGroupRole> roles)
    {
        var mapping = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var role in roles) mapping[ScimRoles.GroupKey(role.GroupName)] = role.Role;
        return mapping;
    }
}

using System.Collections.Concurrent;
using Taskee.Grains.Storage;

namespace Taskee.Api.Auth;

/// <summary>Custom roles per organisation, cached for token authentication; dropped on a change notice or after a minute.</summary>
public sealed class IdentityCache(IIdentityStore store, TimeProvider clock)
{
    private static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(1);
    private readonly ConcurrentDictionary<string, (IReadOnlyDictionary<string, IReadOnlyList<string>> Roles, DateTimeOffset Until)> _roles = new(StringComparer.Ordinal);

    public async ValueTask<IReadOnlyDictionary<string, IReadOnlyList<string>>> CustomRolesAsync(string orgId, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        if (_roles.TryGetValue(orgId, out var entry) && entry.Until > now) return entry.Roles;
        var roles = (await store.ListRolesAsync(orgId, ct)).ToDictionary(r => r.Role, r => r.Permissions, StringComparer.Ordinal);
        _roles[orgId] = (roles, now + Lifetime);
        return roles;
    }

    public void Invalidate(string orgId) => _roles.TryRemove(orgId, out _);
}

using Taskee.Grains.Catalog;
using Taskee.Grains.Interfaces;

namespace Taskee.Grains.Storage;

public interface ICatalogStore
{
    /// <summary>All plans and flags with the catalog version they belong to.</summary>
    Task<CatalogSnapshot> LoadAsync(CancellationToken ct = default);

    /// <summary>Creates or replaces a plan; <paramref name="describe"/> gets the stored plan (or null) and the new one.</summary>
    Task<WriteResult<Plan>> UpsertPlanAsync(Plan plan, Func<Plan?, Plan, AuditRecord?> describe, ChangeContext context, CancellationToken ct = default);

    /// <summary>Creates or replaces a flag; <paramref name="describe"/> gets the stored flag (or null) and the new one.</summary>
    Task<WriteResult<Flag>> UpsertFlagAsync(Flag flag, Func<Flag?, Flag, AuditRecord?> describe, ChangeContext context, CancellationToken ct = default);
}

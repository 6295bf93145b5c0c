using Taskee.Grains.Storage;

namespace Taskee.Grains.Catalog;

/// <summary>
/// This node's copy of the plan catalog and global flags. Loaded at start-up, reloaded after a change,
/// read without locks: readers take <see cref="Current"/> once and use that snapshot.
/// </summary>
public sealed class CatalogCache(ICatalogStore store)
{
    private readonly SemaphoreSlim _reload = new(1, 1);
    private volatile CatalogSnapshot? _current;

    public CatalogSnapshot Current =>
        _current ?? throw new InvalidOperationException("The catalog is not loaded yet; the node is still starting.");

    public bool IsLoaded => _current is not null;

    /// <summary>Reloads from storage; a snapshot older than the one held is never installed.</summary>
    public async Task ReloadAsync(CancellationToken ct = default)
    {
        await _reload.WaitAsync(ct);
        try
        {
            var loaded = await store.LoadAsync(ct);
            if (_current is null || loaded.Version >= _current.Version) _current = loaded;
        }
        finally
        {
            _reload.Release();
        }
    }
}

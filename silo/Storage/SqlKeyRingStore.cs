using Dapper;
using Taskee.Grains.Storage;

namespace Taskee.Silo.Storage;

/// <summary>
/// Data Protection's key ring in the database, so every silo reads and writes the same keys (a cookie, state or secret
/// protected on one silo is unprotected on another, also after restarts). Synchronous, as <c>IXmlRepository</c> is:
/// Data Protection reads the ring at first use and then about once a day, and writes when it creates a key.
/// </summary>
public sealed class SqlKeyRingStore(SqlDialect dialect, TimeProvider clock) : IKeyRingStore
{
    public IReadOnlyList<string> ListElements()
    {
        using var connection = dialect.OpenAsync(CancellationToken.None).AsTask().GetAwaiter().GetResult();
        return connection.Query<string>("SELECT xml FROM data_protection_keys ORDER BY created_at, name").ToList();
    }

    public void StoreElement(string name, string xml)
    {
        using var connection = dialect.OpenAsync(CancellationToken.None).AsTask().GetAwaiter().GetResult();
        connection.Execute(
            "INSERT INTO data_protection_keys (name, xml, created_at) VALUES (@name, @xml, @now) ON CONFLICT (name) DO UPDATE SET xml = excluded.xml",
            new { name, xml, now = Iso.ToText(clock.GetUtcNow()) });
    }
}

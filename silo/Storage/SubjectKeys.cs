using System.Data.Common;
using Dapper;
using Taskee.Grains.Audit;

namespace Taskee.Silo.Storage;

/// <summary>
/// The per-person audit keys (table <c>privacy_subject_keys</c>): one per organisation chain and subject (a member's
/// user id, or the e-mail a person signed in with before they were a member). Destroying one erases every value sealed
/// under it; the row stays, without subject or key, as the record that it was destroyed.
/// </summary>
internal static class SubjectKeys
{
    private sealed record KeyRow(string Id, string WrappedKey);

    /// <summary>The subject's live key in the chain, created (in the caller's transaction) when it has none.</summary>
    public static async Task<(string Id, byte[] Key)> GetOrCreateAsync(DbConnection connection, DbTransaction transaction,
        SubjectKeyProtector protector, string orgId, string subjectId, DateTimeOffset now)
    {
        const string select = "SELECT id AS Id, wrapped_key AS WrappedKey FROM privacy_subject_keys WHERE org_id = @orgId AND subject_id = @subjectId";
        var row = await connection.QuerySingleOrDefaultAsync<KeyRow>(select, new { orgId, subjectId }, transaction);
        if (row is null)
        {
            var id = Ulid.NewUlid(now);
            await connection.ExecuteAsync(
                """
                INSERT INTO privacy_subject_keys (id, org_id, subject_id, wrapped_key, created_at)
                VALUES (@id, @orgId, @subjectId, @wrapped, @now)
                ON CONFLICT (org_id, subject_id) DO NOTHING
                """,
                new { id, orgId, subjectId, wrapped = protector.Wrap(id, SubjectKeyProtector.NewKey()), now = Iso.ToText(now) }, transaction);
            row = await connection.QuerySingleAsync<KeyRow>(select, new { orgId, subjectId }, transaction);
        }
        return (row.Id, protector.Unwrap(row.Id, row.WrappedKey));
    }

    /// <summary>The live keys among <paramref name="ids"/>; destroyed and unknown ones are absent.</summary>
    public static async Task<Dictionary<string, byte[]>> FindAsync(SqlDialect dialect, DbConnection connection, SubjectKeyProtector protector,
        IReadOnlyCollection<string> ids)
    {
        if (ids.Count == 0) return [];
        var rows = await connection.QueryAsync<KeyRow>(
            $"SELECT id AS Id, wrapped_key AS WrappedKey FROM privacy_subject_keys WHERE {dialect.InList("id", "ids")} AND wrapped_key IS NOT NULL",
            new { ids = ids.ToArray() });
        return rows.ToDictionary(r => r.Id, r => protector.Unwrap(r.Id, r.WrappedKey), StringComparer.Ordinal);
    }

    /// <summary>The ids of the live keys of any of the subjects (compared case-insensitively) in one chain.</summary>
    public static async Task<IReadOnlyList<string>> IdsOfAsync(SqlDialect dialect, DbConnection connection, DbTransaction? transaction, string orgId,
        IReadOnlyCollection<string> subjectIds) =>
        subjectIds.Count == 0
            ? []
            : (await connection.QueryAsync<string>(
                $"SELECT id FROM privacy_subject_keys WHERE org_id = @orgId AND {dialect.InList("LOWER(subject_id)", "subjects")} AND wrapped_key IS NOT NULL ORDER BY id",
                new { orgId, subjects = subjectIds.Select(s => s.ToLowerInvariant()).Distinct().ToArray() }, transaction)).ToList();

    /// <summary>Destroys the keys (their values become unreadable for good); returns how many were live.</summary>
    public static Task<int> DestroyAsync(SqlDialect dialect, DbConnection connection, DbTransaction transaction, IReadOnlyCollection<string> keyIds,
        DateTimeOffset now) =>
        keyIds.Count == 0
            ? Task.FromResult(0)
            : connection.ExecuteAsync(
                $"UPDATE privacy_subject_keys SET wrapped_key = NULL, subject_id = NULL, destroyed_at = @now WHERE {dialect.InList("id", "keyIds")} AND wrapped_key IS NOT NULL",
                new { keyIds = keyIds.ToArray(), now = Iso.ToText(now) }, transaction);
}

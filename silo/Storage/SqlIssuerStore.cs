using System.Data.Common;
using System.Text.Json;
using Dapper;
using Taskee.Grains.Interfaces;
using Taskee.Grains.Storage;

namespace Taskee.Silo.Storage;

/// <summary>
/// Signing keys, refresh token families and sign-in's member lookups on SQL. A refresh token is used by a conditional
/// UPDATE (<c>WHERE used_at IS NULL</c>): on PostgreSQL the second of two concurrent redemptions waits for the first's
/// row lock and then matches nothing; SQLite's write transactions are exclusive. Either way one wins, the other is reuse.
/// </summary>
public sealed class SqlIssuerStore(SqlDialect dialect, TimeProvider clock) : SqlStore(dialect), IIssuerStore
{
    private const string KeyColumns = "kid, generation, algorithm, public_jwk, private_key, created_at, signs_from, signs_until, published_until";

    // A refresh token with its family, by the token's hash; redemption appends the dialect's row lock.
    private const string TokenByHash = """
        SELECT t.family_id, t.expires_at, t.used_at, f.org_id, f.member_id, f.amr, f.revoked_at
        FROM refresh_tokens t JOIN refresh_families f ON f.id = t.family_id
        WHERE t.token_hash = @tokenHash
        """;

    private sealed class KeyRow
    {
        public string Kid { get; set; } = "";
        public long Generation { get; set; }
        public string Algorithm { get; set; } = "";
        public string PublicJwk { get; set; } = "";
        public string PrivateKey { get; set; } = "";
        public string CreatedAt { get; set; } = "";
        public string SignsFrom { get; set; } = "";
        public string SignsUntil { get; set; } = "";
        public string PublishedUntil { get; set; } = "";

        public SigningKeyRecord ToRecord() => new(Kid, Generation, Algorithm, PublicJwk, PrivateKey,
            Iso.Parse(CreatedAt), Iso.Parse(SignsFrom), Iso.Parse(SignsUntil), Iso.Parse(PublishedUntil));
    }

    private sealed class TokenRow
    {
        public string FamilyId { get; set; } = "";
        public string ExpiresAt { get; set; } = "";
        public string? UsedAt { get; set; }
        public string OrgId { get; set; } = "";
        public string MemberId { get; set; } = "";
        public string Amr { get; set; } = "";
        public string? RevokedAt { get; set; }

        public RefreshFamily Family => new(FamilyId, OrgId, MemberId, Amr);
    }

    public async Task<IReadOnlyList<SigningKeyRecord>> ListKeysAsync(CancellationToken ct = default)
    {
        await using var connection = await OpenAsync(ct);
        var rows = await connection.QueryAsync<KeyRow>(new CommandDefinition(
            $"SELECT {KeyColumns} FROM issuer_keys ORDER BY generation", cancellationToken: ct));
        return rows.Select(r => r.ToRecord()).ToList();
    }

    public async Task<bool> AddKeyAsync(SigningKeyRecord key, CancellationToken ct = default)
    {
        await using var connection = await OpenAsync(ct);
        return await connection.ExecuteAsync(new CommandDefinition(
            $"""
            INSERT INTO issuer_keys ({KeyColumns})
            VALUES (@Kid, @Generation, @Algorithm, @PublicJwk, @ProtectedPrivateKey, @createdAt, @signsFrom, @signsUntil, @publishedUntil)
            ON CONFLICT (generation) DO NOTHING
            """,
            new
            {
                key.Kid, key.Generation, key.Algorithm, key.PublicJwk, key.ProtectedPrivateKey,
                createdAt = Iso.ToText(key.CreatedAt), signsFrom = Iso.ToText(key.SignsFrom),
                signsUntil = Iso.ToText(key.SignsUntil), publishedUntil = Iso.ToText(key.PublishedUntil),
            }, cancellationToken: ct)) == 1;
    }

    public async Task<int> PurgeKeysAsync(DateTimeOffset before, CancellationToken ct = default)
    {
        await using var connection = await OpenAsync(ct);
        // The newest key is never purged: generations continue from it.
        return await connection.ExecuteAsync(new CommandDefinition(
            "DELETE FROM issuer_keys WHERE published_until < @before AND generation < (SELECT MAX(generation) FROM issuer_keys)",
            new { before = Iso.ToText(before) }, cancellationToken: ct));
    }

    public Task StartFamilyAsync(RefreshFamily family, string tokenHash, DateTimeOffset expiresAt, AuditRecord audit, ChangeContext context, CancellationToken ct = default) =>
        InTransactionAsync(async (connection, transaction) =>
        {
            var now = clock.GetUtcNow();
            await connection.ExecuteAsync(
                """
                INSERT INTO refresh_families (id, org_id, member_id, amr, created_at, expires_at)
                VALUES (@Id, @OrgId, @MemberId, @Amr, @now, @expiresAt)
                """,
                new { family.Id, family.OrgId, family.MemberId, family.Amr, now = Iso.ToText(now), expiresAt = Iso.ToText(expiresAt) }, transaction);
            await InsertTokenAsync(connection, transaction, tokenHash, family.Id, now, expiresAt);
            await AuditAppender.AppendAsync(connection, transaction, Dialect, family.OrgId, audit, context, now);
            return 0;
        }, ct);

    public Task<RedeemResult> RedeemAsync(string tokenHash, string nextHash, DateTimeOffset nextExpiresAt, ChangeContext context, CancellationToken ct = default) =>
        InTransactionAsync(async (connection, transaction) =>
        {
            var now = clock.GetUtcNow();
            var token = await connection.QuerySingleOrDefaultAsync<TokenRow>(TokenByHash + Dialect.ForUpdate, new { tokenHash }, transaction);
            if (token is null) return new RedeemResult(RedeemStatus.Unknown, null, null);
            var family = token.Family;
            if (token.RevokedAt is not null) return new RedeemResult(RedeemStatus.Revoked, family, null);
            if (token.UsedAt is null && Iso.Parse(token.ExpiresAt) <= now) return new RedeemResult(RedeemStatus.Expired, family, null);
            if (token.UsedAt is not null || await connection.ExecuteAsync(
                    "UPDATE refresh_tokens SET used_at = @now WHERE token_hash = @tokenHash AND used_at IS NULL",
                    new { tokenHash, now = Iso.ToText(now) }, transaction) == 0)
            {
                // Someone holds a token that was already exchanged: the thief or the owner; revoke both.
                await RevokeAsync(connection, transaction, family, "reused", "auth.refresh_token.reused", context, now);
                return new RedeemResult(RedeemStatus.Reused, family, null);
            }

            var member = await connection.QuerySingleOrDefaultAsync<MemberRows.StoredRow>(
                $"SELECT {MemberRows.StoredColumns} FROM members WHERE org_id = @OrgId AND user_id = @MemberId",
                new { family.OrgId, family.MemberId }, transaction);
            if (member is null)
            {
                await RevokeAsync(connection, transaction, family, "member_removed", "auth.session.revoked", context, now);
                return new RedeemResult(RedeemStatus.MemberGone, family, null);
            }

            await InsertTokenAsync(connection, transaction, nextHash, family.Id, now, nextExpiresAt);
            await connection.ExecuteAsync("UPDATE refresh_families SET expires_at = @expiresAt WHERE id = @Id",
                new { family.Id, expiresAt = Iso.ToText(nextExpiresAt) }, transaction);
            return new RedeemResult(RedeemStatus.Redeemed, family, member.ToMember());
        }, ct);

    public Task<RefreshFamily?> RevokeFamilyAsync(string tokenHash, string reason, ChangeContext context, CancellationToken ct = default) =>
        InTransactionAsync(async (connection, transaction) =>
        {
            var token = await connection.QuerySingleOrDefaultAsync<TokenRow>(TokenByHash, new { tokenHash }, transaction);
            if (token is null) return null;
            if (token.RevokedAt is null)
                await RevokeAsync(connection, transaction, token.Family, reason, "auth.session.revoked", context, clock.GetUtcNow());
            return token.Family;
        }, ct);

    public async Task<int> PurgeFamiliesAsync(DateTimeOffset before, CancellationToken ct = default)
    {
        await using var connection = await OpenAsync(ct);
        var at = Iso.ToText(before);
        await connection.ExecuteAsync(new CommandDefinition(
            "DELETE FROM refresh_tokens WHERE family_id IN (SELECT id FROM refresh_families WHERE expires_at < @at)", new { at }, cancellationToken: ct));
        return await connection.ExecuteAsync(new CommandDefinition(
            "DELETE FROM refresh_families WHERE expires_at < @at", new { at }, cancellationToken: ct));
    }

    public async Task<Member?> FindMemberByEmailAsync(string orgId, string email, CancellationToken ct = default)
    {
        await using var connection = await OpenAsync(ct);
        // lower() on both sides uses the members_email index; e-mail addresses are compared as ASCII in practice.
        var row = await connection.QueryFirstOrDefaultAsync<MemberRows.StoredRow>(new CommandDefinition(
            $"SELECT {MemberRows.StoredColumns} FROM members WHERE org_id = @orgId AND lower(email) = lower(@email) ORDER BY user_id",
            new { orgId, email }, cancellationToken: ct));
        return row?.ToMember();
    }

    /// <summary>Revokes every refresh token family of a member, in the caller's transaction (member removal).</summary>
    internal static async Task RevokeMemberFamiliesAsync(DbConnection connection, DbTransaction transaction, string orgId, string memberId, DateTimeOffset now) =>
        await connection.ExecuteAsync(
            """
            UPDATE refresh_families SET revoked_at = @now, revoked_reason = 'member_removed'
            WHERE org_id = @orgId AND member_id = @memberId AND revoked_at IS NULL
            """, new { orgId, memberId, now = Iso.ToText(now) }, transaction);

    private static Task InsertTokenAsync(DbConnection connection, DbTransaction transaction, string tokenHash, string familyId, DateTimeOffset now, DateTimeOffset expiresAt) =>
        connection.ExecuteAsync(
            "INSERT INTO refresh_tokens (token_hash, family_id, created_at, expires_at) VALUES (@tokenHash, @familyId, @now, @expiresAt)",
            new { tokenHash, familyId, now = Iso.ToText(now), expiresAt = Iso.ToText(expiresAt) }, transaction);

    private async Task RevokeAsync(DbConnection connection, DbTransaction transaction, RefreshFamily family, string reason, string action, ChangeContext context, DateTimeOffset now)
    {
        var revoked = await connection.ExecuteAsync(
            "UPDATE refresh_families SET revoked_at = @now, revoked_reason = @reason WHERE id = @Id AND revoked_at IS NULL",
            new { family.Id, reason, now = Iso.ToText(now) }, transaction);
        if (revoked == 0) return;
        await AuditAppender.AppendAsync(connection, transaction, Dialect, family.OrgId,
            new AuditRecord(action, $"organisations/{family.OrgId}/members/{family.MemberId}/sessions/{family.Id}", null,
                JsonSerializer.Serialize(new { reason, amr = family.Amr })), context, now);
    }
}

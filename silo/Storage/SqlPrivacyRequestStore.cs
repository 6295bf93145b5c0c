using System.Data.Common;
using System.Text.Json;
using System.Text.Json.Nodes;
using Dapper;
using Taskee.Grains.Interfaces;
using Taskee.Grains.Storage;

namespace Taskee.Silo.Storage;

/// <summary>Data-subject requests (table <c>privacy_requests</c>, migration 0017) and the person's rows they read or erase.</summary>
public sealed class SqlPrivacyRequestStore(SqlDialect dialect, TimeProvider clock) : SqlStore(dialect), IPrivacyRequestStore
{
    private const string Columns =
        "id, org_id, kind, member_id, emails, status, created_at, updated_at, completed_at, error, erased, erased_seq, erased_hash, receipt";

    private sealed class RequestRow
    {
        public string Id { get; set; } = "";
        public string OrgId { get; set; } = "";
        public string Kind { get; set; } = "";
        public string? MemberId { get; set; }
        public string? Emails { get; set; }
        public string Status { get; set; } = "";
        public string CreatedAt { get; set; } = "";
        public string UpdatedAt { get; set; } = "";
        public string? CompletedAt { get; set; }
        public string? Error { get; set; }
        public string? Erased { get; set; }
        public long? ErasedSeq { get; set; }
        public string? ErasedHash { get; set; }
        public string? Receipt { get; set; }

        public PrivacyRequest ToRequest() => new(Id, OrgId, Kind, MemberId, StoredJson.ReadOrNull<string[]>(Emails) ?? [], Status,
            Iso.Parse(CreatedAt), Iso.Parse(UpdatedAt), Iso.ParseOrNull(CompletedAt), Error, Erased, ErasedSeq, ErasedHash, Receipt);
    }

    private sealed record ScimRow(string Id, string UserName, string? ExternalId, long Active, string Attributes);

    private sealed record MemberRow(string UserId, string Email, string Role, string AddedAt);

    private sealed record SessionRow(string Id, string Amr, string CreatedAt, string ExpiresAt, string? RevokedAt);

    private sealed record KeyRow(string Id, string Name, string CreatedAt);

    private sealed record ChainHead(long Seq, string HeadHash);

    private static string Target(PrivacyRequest r) => $"organisations/{r.OrgId}/privacy/requests/{r.Id}";

    public Task FileAsync(PrivacyRequest request, AuditRecord audit, ChangeContext context, CancellationToken ct = default) =>
        InTransactionAsync(async (connection, transaction) =>
        {
            await connection.ExecuteAsync(
                """
                INSERT INTO privacy_requests (id, org_id, kind, member_id, emails, status, created_at, updated_at)
                VALUES (@Id, @OrgId, @Kind, @MemberId, @Emails, @Status, @CreatedAt, @CreatedAt)
                """,
                new
                {
                    request.Id, request.OrgId, request.Kind, request.MemberId, Emails = StoredJson.Write(request.Emails), request.Status,
                    CreatedAt = Iso.ToText(request.CreatedAt),
                }, transaction);
            await AuditAppender.AppendAsync(connection, transaction, Dialect, request.OrgId, audit, context, clock.GetUtcNow());
            return true;
        }, ct);

    public async Task<PrivacyRequest?> GetAsync(string orgId, string id, CancellationToken ct = default)
    {
        await using var connection = await OpenAsync(ct);
        var row = await connection.QuerySingleOrDefaultAsync<RequestRow>(new CommandDefinition(
            $"SELECT {Columns} FROM privacy_requests WHERE org_id = @orgId AND id = @id", new { orgId, id }, cancellationToken: ct));
        return row?.ToRequest();
    }

    public async Task<IReadOnlyList<PrivacyRequest>> DueAsync(int limit, CancellationToken ct = default)
    {
        await using var connection = await OpenAsync(ct);
        var rows = await connection.QueryAsync<RequestRow>(new CommandDefinition(
            $"SELECT {Columns} FROM privacy_requests WHERE status IN ('pending', 'running') ORDER BY created_at, id LIMIT @limit",
            new { limit }, cancellationToken: ct));
        return rows.Select(r => r.ToRequest()).ToList();
    }

    public async Task MarkRunningAsync(string id, CancellationToken ct = default)
    {
        await using var connection = await OpenAsync(ct);
        await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE privacy_requests SET status = 'running', updated_at = @now WHERE id = @id AND status = 'pending'",
            new { id, now = Iso.ToText(clock.GetUtcNow()) }, cancellationToken: ct));
    }

    public async Task<string?> FindMemberIdByEmailAsync(string orgId, string email, CancellationToken ct = default)
    {
        await using var connection = await OpenAsync(ct);
        var folded = email.ToLowerInvariant();
        return await connection.QueryFirstOrDefaultAsync<string>(new CommandDefinition(
                   "SELECT user_id FROM members WHERE org_id = @orgId AND LOWER(email) = @email ORDER BY user_id", new { orgId, email = folded }, cancellationToken: ct))
               ?? await connection.QueryFirstOrDefaultAsync<string>(new CommandDefinition(
                   "SELECT id FROM scim_users WHERE org_id = @orgId AND user_name_key = @email ORDER BY id", new { orgId, email = folded }, cancellationToken: ct));
    }

    public async Task<string?> FindMemberIdByScimExternalIdAsync(string orgId, string externalId, CancellationToken ct = default)
    {
        await using var connection = await OpenAsync(ct);
        return await connection.QueryFirstOrDefaultAsync<string>(new CommandDefinition(
            "SELECT id FROM scim_users WHERE org_id = @orgId AND external_id = @externalId ORDER BY id", new { orgId, externalId }, cancellationToken: ct));
    }

    public async Task<bool> KnowsMemberAsync(string orgId, string memberId, CancellationToken ct = default)
    {
        await using var connection = await OpenAsync(ct);
        return await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            """
            SELECT (SELECT COUNT(*) FROM members WHERE org_id = @orgId AND user_id = @memberId)
                 + (SELECT COUNT(*) FROM scim_users WHERE org_id = @orgId AND id = @memberId)
            """, new { orgId, memberId }, cancellationToken: ct)) > 0;
    }

    public async Task<IReadOnlyList<string>> EmailsOfAsync(string orgId, string memberId, CancellationToken ct = default)
    {
        await using var connection = await OpenAsync(ct);
        var emails = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var email in await connection.QueryAsync<string>(new CommandDefinition(
                     "SELECT email FROM members WHERE org_id = @orgId AND user_id = @memberId", new { orgId, memberId }, cancellationToken: ct)))
            emails.Add(email.ToLowerInvariant());
        var scim = await FindScimAsync(connection, null, orgId, memberId);
        if (scim is not null)
        {
            emails.Add(scim.UserName.ToLowerInvariant());
            foreach (var e in JsonNode.Parse(scim.Attributes)?["emails"]?.AsArray() ?? [])
                if (e?["value"]?.GetValue<string>() is { } value) emails.Add(value.ToLowerInvariant());
        }
        return emails.ToList();
    }

    public async Task<PersonRecords> ReadPersonAsync(string orgId, string memberId, IReadOnlyList<string> emails, CancellationToken ct = default)
    {
        await using var connection = await OpenAsync(ct);
        var member = await connection.QuerySingleOrDefaultAsync<MemberRow>(
            "SELECT user_id AS UserId, email AS Email, role AS Role, added_at AS AddedAt FROM members WHERE org_id = @orgId AND user_id = @memberId",
            new { orgId, memberId });
        var scim = await FindScimAsync(connection, null, orgId, memberId);
        var groups = await connection.QueryAsync<string>(
            "SELECT group_id FROM scim_group_members WHERE org_id = @orgId AND user_id = @memberId ORDER BY group_id", new { orgId, memberId });
        var sessions = await connection.QueryAsync<SessionRow>(
            """
            SELECT id AS Id, amr AS Amr, created_at AS CreatedAt, expires_at AS ExpiresAt, revoked_at AS RevokedAt
            FROM refresh_families WHERE org_id = @orgId AND member_id = @memberId ORDER BY created_at, id
            """, new { orgId, memberId });
        var keys = await KeysNamingAsync(connection, null, orgId, memberId, emails);
        return new PersonRecords(
            member is null ? null : new Member(orgId, member.UserId, member.Email, member.Role, Iso.Parse(member.AddedAt)),
            scim is null ? null : new PersonScimUser(scim.Id, scim.UserName, scim.ExternalId, scim.Active != 0, scim.Attributes),
            groups.ToList(),
            sessions.Select(s => new PersonSession(s.Id, s.Amr, Iso.Parse(s.CreatedAt), Iso.Parse(s.ExpiresAt), Iso.ParseOrNull(s.RevokedAt))).ToList(),
            keys.Select(k => new PersonApiKey(k.Id, k.Name, Iso.Parse(k.CreatedAt))).ToList());
    }

    public Task<PrivacyRequest> EraseAsync(PrivacyRequest request, ChangeContext context, CancellationToken ct = default) =>
        InTransactionAsync(async (connection, transaction) =>
        {
            var (orgId, memberId) = (request.OrgId, request.MemberId ?? throw new InvalidOperationException($"Request {request.Id} names no person."));
            var now = clock.GetUtcNow();
            var p = new { orgId, memberId, now = Iso.ToText(now) };

            await connection.ExecuteAsync(
                """
                UPDATE scim_groups SET version = version + 1, updated_at = @now
                WHERE org_id = @orgId AND id IN (SELECT group_id FROM scim_group_members WHERE org_id = @orgId AND user_id = @memberId)
                """, p, transaction);
            var memberships = await connection.ExecuteAsync("DELETE FROM scim_group_members WHERE org_id = @orgId AND user_id = @memberId", p, transaction);
            var scimUsers = await connection.ExecuteAsync("DELETE FROM scim_users WHERE org_id = @orgId AND id = @memberId", p, transaction);
            // The member row itself went through the organisation grain (seat, sessions revoked); one left behind by a
            // failed removal is not deleted here, so the seat count never drifts from the grain's.
            await connection.ExecuteAsync(
                "DELETE FROM refresh_tokens WHERE family_id IN (SELECT id FROM refresh_families WHERE org_id = @orgId AND member_id = @memberId)", p, transaction);
            var sessions = await connection.ExecuteAsync("DELETE FROM refresh_families WHERE org_id = @orgId AND member_id = @memberId", p, transaction);

            var keys = await KeysNamingAsync(connection, transaction, orgId, memberId, request.Emails);
            foreach (var key in keys)
                await connection.ExecuteAsync("UPDATE api_keys SET name = @name WHERE id = @Id", new { key.Id, name = $"erased-{key.Id}" }, transaction);
            foreach (var key in keys) await Dialect.NotifyAsync(connection, transaction, new ChangeNotice(ChangeNotice.ApiKey, key.Id, 0));

            var answers = 0;
            foreach (var email in request.Emails)
                answers += await connection.ExecuteAsync(
                    $"DELETE FROM idempotency_keys WHERE LOWER({Dialect.BytesAsText("body")}) LIKE @pattern", new { pattern = "%" + email + "%" }, transaction);

            var subjects = request.Emails.Append(memberId).ToList();
            var keyIds = await SubjectKeys.IdsOfAsync(Dialect, connection, transaction, orgId, subjects);
            var destroyed = await SubjectKeys.DestroyAsync(Dialect, connection, transaction, keyIds, now);

            var counts = new ErasureCounts(sessions, scimUsers, memberships, keys.Count, answers, destroyed);
            var erased = JsonSerializer.Serialize(counts, JsonSerializerOptions.Web);
            await AuditAppender.AppendAsync(connection, transaction, Dialect, orgId,
                new AuditRecord("privacy.erasure.completed", Target(request), null, erased), context, now);
            var head = await connection.QuerySingleAsync<ChainHead>(
                "SELECT seq AS Seq, head_hash AS HeadHash FROM audit_chains WHERE chain_id = @orgId", new { orgId }, transaction);

            await connection.ExecuteAsync(
                """
                UPDATE privacy_requests SET member_id = NULL, emails = NULL, erased = @erased, erased_seq = @Seq, erased_hash = @HeadHash,
                    status = 'running', updated_at = @now
                WHERE id = @id
                """, new { erased, head.Seq, head.HeadHash, now = Iso.ToText(now), id = request.Id }, transaction);
            return request with
            {
                MemberId = null, Emails = [], Erased = erased, ErasedSeq = head.Seq, ErasedHash = head.HeadHash, Status = PrivacyRequestKinds.Running, UpdatedAt = now,
            };
        }, ct);

    public Task CompleteAsync(PrivacyRequest request, string? receipt, ChangeContext context, CancellationToken ct = default) =>
        InTransactionAsync(async (connection, transaction) =>
        {
            var now = clock.GetUtcNow();
            await connection.ExecuteAsync(
                "UPDATE privacy_requests SET status = 'completed', receipt = @receipt, completed_at = @now, updated_at = @now WHERE id = @id",
                new { receipt, now = Iso.ToText(now), id = request.Id }, transaction);
            // An erasure's own event (privacy.erasure.completed) is the one the receipt names as chain head.
            if (request.Kind == PrivacyRequestKinds.Access)
                await AuditAppender.AppendAsync(connection, transaction, Dialect, request.OrgId,
                    new AuditRecord("privacy.access.completed", Target(request), null, null), context, now);
            return true;
        }, ct);

    public Task FailAsync(PrivacyRequest request, string error, ChangeContext context, CancellationToken ct = default) =>
        InTransactionAsync(async (connection, transaction) =>
        {
            var now = clock.GetUtcNow();
            await connection.ExecuteAsync(
                "UPDATE privacy_requests SET status = 'failed', error = @error, updated_at = @now WHERE id = @id",
                new { error, now = Iso.ToText(now), id = request.Id }, transaction);
            await AuditAppender.AppendAsync(connection, transaction, Dialect, request.OrgId,
                new AuditRecord("privacy.request.failed", Target(request), null, JsonSerializer.Serialize(new { error })), context, now);
            return true;
        }, ct);

    private static Task<ScimRow?> FindScimAsync(DbConnection connection, DbTransaction? transaction, string orgId, string memberId) =>
        connection.QuerySingleOrDefaultAsync<ScimRow>(
            "SELECT id AS Id, user_name AS UserName, external_id AS ExternalId, active AS Active, attributes AS Attributes FROM scim_users WHERE org_id = @orgId AND id = @memberId",
            new { orgId, memberId }, transaction);

    /// <summary>The organisation's API keys whose name holds the person's member id or one of their e-mails (an admin named it after them).</summary>
    private static async Task<List<KeyRow>> KeysNamingAsync(DbConnection connection, DbTransaction? transaction, string orgId, string memberId, IReadOnlyList<string> emails)
    {
        var keys = await connection.QueryAsync<KeyRow>(
            "SELECT id AS Id, name AS Name, created_at AS CreatedAt FROM api_keys WHERE org_id = @orgId ORDER BY created_at, id", new { orgId }, transaction);
        var names = emails.Append(memberId).ToList();
        return keys.Where(k => names.Any(n => k.Name.Contains(n, StringComparison.OrdinalIgnoreCase))).ToList();
    }
}

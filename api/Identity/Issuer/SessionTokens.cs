using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Taskee.Api.Identity.SignIn;
using Taskee.Grains.Interfaces;
using Taskee.Grains.Storage;

namespace Taskee.Api.Identity.Issuer;

/// <summary>Who a session is for: the member, its organisation, its roles now, and how it signed in.</summary>
public sealed record SessionSubject(string OrgId, string MemberId, IReadOnlyList<string> Roles, string Amr);

/// <summary>The answer to a refresh: new tokens, or the OAuth error (RFC 6749 5.2) and why.</summary>
public sealed record RefreshOutcome(TokenSet? Tokens, string? Error, string? Description, SessionSubject? Subject);

/// <summary>
/// Issues Taskee sessions: an ES256 access token (<c>typ: at+jwt</c>) and an opaque refresh token (<c>tkr_</c> + 256
/// random bits; only its SHA-256 is stored, which is enough for a secret that cannot be guessed) that is replaced on
/// every use.
/// </summary>
public sealed partial class SessionTokens(SigningKeys keys, IIssuerStore store, IOptions<IssuerOptions> options, TimeProvider clock, ILogger<SessionTokens> logger)
{
    public const string RefreshPrefix = "tkr_";
    public const string TokenType = "at+jwt";

    private static readonly JsonWebTokenHandler Handler = new() { SetDefaultTimesOnTokenCreation = false };

    public int AccessTokenSeconds => (int)options.Value.AccessTokenLifetime.TotalSeconds;

    /// <summary>Starts a session for a member who just signed in; <paramref name="audit"/> is written with its refresh token family.</summary>
    public async Task<TokenSet> StartAsync(SessionSubject subject, AuditRecord audit, ChangeContext context, CancellationToken ct)
    {
        var refresh = NewRefreshToken();
        var family = new RefreshFamily(Base64UrlEncoder.Encode(RandomNumberGenerator.GetBytes(16)), subject.OrgId, subject.MemberId, subject.Amr);
        await store.StartFamilyAsync(family, Hash(refresh), clock.GetUtcNow() + options.Value.RefreshTokenLifetime, audit, context, ct);
        return new TokenSet(await AccessTokenAsync(subject, ct), "Bearer", AccessTokenSeconds, refresh);
    }

    /// <summary>Exchanges a refresh token for the next one and a fresh access token, with the member's roles as they are now.</summary>
    public async Task<RefreshOutcome> RefreshAsync(string refreshToken, ChangeContext context, CancellationToken ct)
    {
        if (!LooksOurs(refreshToken))
            return Invalid("The refresh token is not one this server issued.");
        var next = NewRefreshToken();
        var result = await store.RedeemAsync(Hash(refreshToken), Hash(next), clock.GetUtcNow() + options.Value.RefreshTokenLifetime, context, ct);
        switch (result.Status)
        {
            case RedeemStatus.Redeemed:
                var member = result.Member!;
                var subject = new SessionSubject(member.OrgId, member.UserId, [member.Role], result.Family!.Amr);
                return new RefreshOutcome(new TokenSet(await AccessTokenAsync(subject, ct), "Bearer", AccessTokenSeconds, next), null, null, subject);
            case RedeemStatus.Reused:
                LogReuse(result.Family!.OrgId, result.Family.MemberId, result.Family.Id);
                return Invalid("The refresh token was already used; every session of this sign-in is revoked now. Sign in again.");
            case RedeemStatus.Revoked:
                return Invalid("The refresh token was revoked (signed out, or the member was removed). Sign in again.");
            case RedeemStatus.Expired:
                return Invalid("The refresh token expired. Sign in again.");
            case RedeemStatus.MemberGone:
                return Invalid("The member is no longer in the organisation; its sessions are revoked.");
            default:
                return Invalid("The refresh token is not one this server issued.");
        }
    }

    /// <summary>Revokes the family of a refresh token; false when the token is not ours or unknown.</summary>
    public async Task<bool> RevokeAsync(string refreshToken, string reason, ChangeContext context, CancellationToken ct) =>
        LooksOurs(refreshToken) && await store.RevokeFamilyAsync(Hash(refreshToken), reason, context, ct) is not null;

    public async Task<string> AccessTokenAsync(SessionSubject subject, CancellationToken ct)
    {
        var o = options.Value;
        var now = clock.GetUtcNow().UtcDateTime;
        return Handler.CreateToken(new SecurityTokenDescriptor
        {
            TokenType = TokenType,
            Issuer = o.Url,
            Audience = o.Audience,
            IssuedAt = now,
            NotBefore = now,
            Expires = now + o.AccessTokenLifetime,
            SigningCredentials = await keys.SigningCredentialsAsync(ct),
            Claims = new Dictionary<string, object>
            {
                [JwtRegisteredClaimNames.Sub] = subject.MemberId,
                ["org_id"] = subject.OrgId,
                ["roles"] = subject.Roles.ToArray(),
                ["amr"] = new[] { subject.Amr },
                [JwtRegisteredClaimNames.Jti] = Base64UrlEncoder.Encode(RandomNumberGenerator.GetBytes(16)),
            },
        });
    }

    /// <summary>Shaped like a refresh token of ours; anything else is refused without a database read.</summary>
    private static bool LooksOurs(string refreshToken) =>
        refreshToken.StartsWith(RefreshPrefix, StringComparison.Ordinal) && refreshToken.Length <= 200;

    public static string NewRefreshToken() => RefreshPrefix + Base64UrlEncoder.Encode(RandomNumberGenerator.GetBytes(32));

    public static string Hash(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));

    private static RefreshOutcome Invalid(string description) => new(null, OAuthErrors.InvalidGrant, description, null);

    [LoggerMessage(EventId = 4203, Level = LogLevel.Warning,
        Message = "A used refresh token was presented again for member {MemberId} of {OrgId} (family {FamilyId}); the family is revoked. The caller's address is in the audit event, not in the log")]
    private partial void LogReuse(string orgId, string memberId, string familyId);
}

/// <summary>OAuth 2.0 error codes (RFC 6749 5.2, RFC 7009).</summary>
public static class OAuthErrors
{
    public const string InvalidRequest = "invalid_request";
    public const string InvalidGrant = "invalid_grant";
    public const string UnsupportedGrantType = "unsupported_grant_type";
}

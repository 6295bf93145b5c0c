using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Taskee.Api.Auth;

/// <summary>Authenticates <c>Authorization: Bearer tk_...</c>. Other bearer tokens are left to other schemes.</summary>
public sealed class ApiKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    ApiKeyCache keys,
    TimeProvider clock)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "ApiKey";

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var header = Request.Headers.Authorization.ToString();
        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)) return NoResult;
        var token = header.AsSpan("Bearer ".Length).Trim();
        if (!token.StartsWith(ApiKeyToken.Prefix, StringComparison.Ordinal)) return NoResult;

        // The product API sends the same key thousands of times a second: answer a verified one without work.
        var now = clock.GetUtcNow();
        if (keys.FindVerified(header, now) is { } earlier)
        {
            var touch = keys.TouchAsync(earlier.Record.Id, now, Context.RequestAborted);
            return touch.IsCompletedSuccessfully ? earlier.Answer : AfterAsync(touch, earlier.Answer);
        }
        return VerifyAsync(header, token.ToString(), now);
    }

    private static readonly Task<AuthenticateResult> NoResult = Task.FromResult(AuthenticateResult.NoResult());

    private static async Task<AuthenticateResult> AfterAsync(ValueTask touch, Task<AuthenticateResult> answer)
    {
        await touch;
        return await answer;
    }

    private async Task<AuthenticateResult> VerifyAsync(string header, string token, DateTimeOffset now)
    {
        if (!ApiKeyToken.TryParse(token, out var parts)) return AuthenticateResult.Fail("The API key is malformed.");

        var record = await keys.FindAsync(parts.Id, Context.RequestAborted);
        var current = record is not null && ApiKeyToken.SecretMatches(parts.Secret, record.SecretHash);
        // After a rotation the previous secret works until its grace period ends.
        var previous = !current && record is { PreviousSecretHash: { } old, PreviousValidUntil: { } until } && until > now && ApiKeyToken.SecretMatches(parts.Secret, old);
        if (record is null || !(current || previous))
            return AuthenticateResult.Fail("The API key is not valid.");
        if (record.RevokedAt is not null) return AuthenticateResult.Fail("The API key was revoked.");
        if (record.ExpiresAt is { } expires && expires <= now) return AuthenticateResult.Fail("The API key has expired.");
        await keys.TouchAsync(record.Id, now, Context.RequestAborted);

        var caller = new Caller(Caller.ApiKeyKind, record.Id, record.OrgId, Roles.Expand(record.Scopes));
        var result = AuthenticateResult.Success(new AuthenticationTicket(caller.ToPrincipal(SchemeName), SchemeName));
        keys.RememberVerified(header, new ApiKeyCache.Verified(record, previous, Task.FromResult(result)));
        return result;
    }
}

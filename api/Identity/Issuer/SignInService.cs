using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;
using Taskee.Api.Auth;
using Taskee.Api.Identity.SignIn;
using Taskee.Api.Infrastructure;
using Taskee.Grains.Interfaces;
using Taskee.Grains.Storage;

namespace Taskee.Api.Identity.Issuer;

/// <summary>
/// Where SAML and OIDC sign-ins end. The organisation must exist, not be suspended or cancelled, and have feature
/// <c>sso</c>. The person is the member with their e-mail address (case-insensitive) or, with JIT provisioning, a new
/// member added through the organisation's grain (so the seat limit holds and the addition is audited). Roles: the
/// roles their groups map to (built-in or the organisation's custom roles) decide, and the member's stored role is set
/// to the strongest of them, so the identity provider stays the source of truth and refreshes (which read the stored
/// role) agree with the sign-in; when no group maps, the stored role stays (a JIT member gets the default role).
/// </summary>
public sealed partial class SignInService(
    OrganisationGrains grains, IIssuerStore store, IdentityCache identity, SessionTokens sessions, IOptions<IssuerOptions> options,
    IHttpContextAccessor http, TimeProvider clock, ILogger<SignInService> logger) : ISignInService
{
    private const int MaxMemberId = 128;

    public async Task<SignInOutcome> SignInAsync(ExternalIdentity person, ProvisioningPolicy policy, CancellationToken ct)
    {
        var orgId = person.OrgId;
        var grain = grains.Get(orgId);
        if (await grain.GetOrganisationAsync() is not { } organisation) return Refuse(person, 404, "Not Found", $"Organisation '{orgId}' was not found.");
        if (OrganisationStatus.BlocksUsage(organisation.Status))
            return Refuse(person, 403, "Forbidden", $"Organisation '{orgId}' is {organisation.Status}; nobody can sign in to it until an owner or the billing contact settles its account.");
        var entitlements = (await grain.GetEntitlementsAsync())!;
        if (entitlements.Features.GetValueOrDefault(Features.Sso) is not { Enabled: true })
            return Refuse(person, 403, "Forbidden", $"Single sign-on needs the feature '{Features.Sso}', which plan '{entitlements.PlanId}' of '{orgId}' does not include; Enterprise plans have it.");
        if (person.Email is not { Length: <= 254 } email || !EmailPattern().IsMatch(email))
            return Refuse(person, 403, "Forbidden", "The identity provider sent no usable e-mail address for you; an admin of the organisation should map the e-mail attribute (SAML emailAttribute, OIDC email claim).");

        var custom = await identity.CustomRolesAsync(orgId, ct);
        var mapped = MappedRole(person.Groups, policy.GroupRoles, custom);
        var context = ContextFor(person);

        var member = await store.FindMemberByEmailAsync(orgId, email, ct);
        if (member is null)
        {
            if (!policy.JitProvisioning)
                return Refuse(person, 403, "Forbidden", $"{email} is not a member of '{orgId}', and this organisation does not add members at sign-in. Ask an owner or admin of '{orgId}' to add you.");
            var role = mapped ?? (IsRole(policy.DefaultRole, custom) ? policy.DefaultRole : Roles.Member);
            switch (await ProvisionAsync(grain, orgId, email, role, context, ct))
            {
                case (SeatChange.Done or SeatChange.AlreadyMember, { } added):
                    member = added;
                    break;
                case (SeatChange.SeatLimitReached, _):
                    var seats = (await grain.GetUsageAsync())![Metrics.Seats];
                    return Refuse(person, 403, "Seats full",
                        $"All {seats.Limit} seats of '{orgId}' are taken, so {email} cannot be added. An owner or admin of '{orgId}' can free a seat by removing a member, or raise the seat limit by upgrading the plan.");
                default:
                    return Refuse(person, 404, "Not Found", $"Organisation '{orgId}' was not found.");
            }
        }
        else if (mapped is not null && mapped != member.Role)
        {
            if (await grain.ChangeMemberRoleAsync(member.UserId, mapped, context with { Actor = new AuditActor(Caller.UserKind, member.UserId) }) == SeatChange.Done)
                member = member with { Role = mapped };
        }

        var subject = new SessionSubject(orgId, member.UserId, [member.Role], person.Method);
        var audit = new AuditRecord("auth.signed_in", $"organisations/{orgId}/members/{member.UserId}", null,
            JsonSerializer.Serialize(new { method = person.Method, subject = person.Subject, email, roles = subject.Roles }));
        var tokens = await sessions.StartAsync(subject, audit, context with { Actor = new AuditActor(Caller.UserKind, member.UserId) }, ct);
        LogSignedIn(orgId, member.UserId, person.Method);
        return new SignInOutcome.SignedIn(orgId, member.UserId, subject.Roles, tokens);
    }

    public IResult Complete(HttpContext http, SignInOutcome outcome, string? returnTo)
    {
        var wantsJson = http.Request.GetTypedHeaders().Accept.Any(a => a.MediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase));
        http.Response.Headers.CacheControl = "no-store";
        switch (outcome)
        {
            case SignInOutcome.SignedIn signedIn when wantsJson:
                return TypedResults.Json(TokenResponse.From(signedIn.Tokens));
            case SignInOutcome.SignedIn signedIn:
                SessionCookies.Set(http, signedIn.Tokens, options.Value);
                return new SeeOther(ReturnTo.IsSafe(returnTo) ? returnTo! : ReturnTo.Default);
            case SignInOutcome.Refused refused when wantsJson:
                return TypedResults.Problem(statusCode: refused.Status, title: refused.Title, detail: refused.Detail);
            case SignInOutcome.Refused refused:
                return TypedResults.Content(RefusalPage(refused), "text/html; charset=utf-8", Encoding.UTF8, refused.Status);
            default:
                throw new ArgumentOutOfRangeException(nameof(outcome));
        }
    }

    /// <summary>Adds the person as a member; an id taken by someone else (another e-mail) gets a suffix from the e-mail's hash.</summary>
    private async Task<(SeatChange, Member?)> ProvisionAsync(IOrganisationGrain grain, string orgId, string email, string role, ChangeContext context, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var addedAt = new DateTimeOffset(now.Ticks - now.Ticks % TimeSpan.TicksPerMillisecond, TimeSpan.Zero);
        foreach (var withHash in new[] { false, true })
        {
            var member = new Member(orgId, MemberIdFor(email, withHash), email, role, addedAt);
            var result = await grain.AddMemberAsync(member, context with { Actor = new AuditActor(Caller.UserKind, member.UserId) });
            if (result == SeatChange.Done) return (result, member);
            if (result != SeatChange.AlreadyMember) return (result, null);
            // Someone with this id: the same person signing in at the same moment on another silo, or another e-mail.
            if (await store.FindMemberByEmailAsync(orgId, email, ct) is { } existing) return (SeatChange.AlreadyMember, existing);
        }
        return (SeatChange.AlreadyMember, null);
    }

    /// <summary>A valid member id (<c>[A-Za-z0-9._@:-]{1,128}</c>) from an e-mail address: the address itself, lower-cased, when it fits.</summary>
    internal static string MemberIdFor(string email, bool withHash)
    {
        var lower = email.Trim().ToLowerInvariant();
        var id = new string(lower.Select(c => c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '.' or '_' or '@' or ':' or '-' ? c : '-').ToArray());
        if (!withHash && id.Length <= MaxMemberId) return id;
        var suffix = "-" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(lower)))[..12];
        return id[..Math.Min(id.Length, MaxMemberId - suffix.Length)] + suffix;
    }

    /// <summary>The strongest role (most permissions, then name) any of the person's groups maps to; roles the organisation does not have are ignored.</summary>
    internal static string? MappedRole(IReadOnlyList<string> groups, IReadOnlyDictionary<string, string> groupRoles, IReadOnlyDictionary<string, IReadOnlyList<string>> custom)
    {
        var table = new Dictionary<string, string>(groupRoles, StringComparer.OrdinalIgnoreCase);
        return groups.Select(g => table.GetValueOrDefault(g)).OfType<string>().Where(r => IsRole(r, custom)).Distinct(StringComparer.Ordinal)
            .OrderByDescending(r => Roles.Expand([r], custom).Count).ThenBy(r => r, StringComparer.Ordinal)
            .FirstOrDefault();
    }

    private static bool IsRole(string? role, IReadOnlyDictionary<string, IReadOnlyList<string>> custom) =>
        role is not null && (Roles.BuiltIn.Contains(role) || custom.ContainsKey(role));

    private ChangeContext ContextFor(ExternalIdentity person)
    {
        var request = http.HttpContext;
        return new ChangeContext(new AuditActor(Caller.UserKind, person.Email), request?.TraceIdentifier, request?.Connection.RemoteIpAddress?.ToString());
    }

    private SignInOutcome.Refused Refuse(ExternalIdentity person, int status, string title, string detail)
    {
        // The browser is told its own e-mail; the log never holds a person's address (docs/privacy/data-inventory.md).
        LogRefused(person.OrgId, person.Method, status, person.Email is { Length: > 0 } email ? detail.Replace(email, "<e-mail>", StringComparison.OrdinalIgnoreCase) : detail);
        return new SignInOutcome.Refused(status, title, detail);
    }

    private static string RefusalPage(SignInOutcome.Refused refused) =>
        $"""
        <!doctype html>
        <html lang="en"><head><meta charset="utf-8"><title>Sign-in refused</title></head>
        <body style="font-family:system-ui,sans-serif;max-width:40rem;margin:4rem auto;padding:0 1rem">
        <h1>{WebUtility.HtmlEncode(refused.Title)}</h1>
        <p>{WebUtility.HtmlEncode(refused.Detail)}</p>
        </body></html>
        """;

    /// <summary>303 See Other: after the POST of a SAML ACS the browser follows with a GET.</summary>
    private sealed class SeeOther(string location) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext)
        {
            httpContext.Response.StatusCode = StatusCodes.Status303SeeOther;
            httpContext.Response.Headers[HeaderNames.Location] = location;
            return Task.CompletedTask;
        }
    }

    [GeneratedRegex(@"^[^@\s]+@[^@\s]+\.[^@\s]+$", RegexOptions.CultureInvariant)]
    private static partial Regex EmailPattern();

    [LoggerMessage(EventId = 4204, Level = LogLevel.Information, Message = "Member {MemberId} of {OrgId} signed in with {Method}")]
    private partial void LogSignedIn(string orgId, string memberId, string method);

    [LoggerMessage(EventId = 4205, Level = LogLevel.Warning, Message = "Sign-in to {OrgId} with {Method} refused ({Status}): {Reason}")]
    private partial void LogRefused(string orgId, string method, int status, string reason);
}

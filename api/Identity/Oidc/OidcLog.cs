using Microsoft.Extensions.Logging;

namespace Taskee.Api.Identity.Oidc;

/// <summary>OIDC sign-in log messages (event ids 47xx). The reason of a refusal goes here, not to the browser.</summary>
internal static partial class OidcLog
{
    [LoggerMessage(EventId = 4711, Level = LogLevel.Warning, Message = "OIDC sign-in to organisation {OrgId} refused ({Kind}): {Reason}")]
    public static partial void Refused(ILogger logger, string orgId, string kind, string reason);

    // The subject id names a person at the IdP: it is in the (sealed) audit event, not in the log.
    [LoggerMessage(EventId = 4712, Level = LogLevel.Information, Message = "OIDC sign-in to organisation {OrgId}: {Outcome}")]
    public static partial void SignedIn(ILogger logger, string orgId, string outcome);

    [LoggerMessage(EventId = 4713, Level = LogLevel.Warning, Message = "OIDC login for organisation {OrgId} cannot start: {Reason}")]
    public static partial void CannotStart(ILogger logger, string orgId, string reason);
}

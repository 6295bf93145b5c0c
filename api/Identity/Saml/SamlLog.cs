using Microsoft.Extensions.Logging;

namespace Taskee.Api.Identity.Saml;

/// <summary>SAML sign-in log messages (event ids 4700-4719). No NameID or e-mail: they are personal data.</summary>
internal static partial class SamlLog
{
    [LoggerMessage(EventId = 4700, Level = LogLevel.Warning, Message = "SAML response for organisation {OrgId} refused ({Status}): {Reason}")]
    public static partial void Refused(ILogger logger, string orgId, int status, string reason);

    [LoggerMessage(EventId = 4701, Level = LogLevel.Information, Message = "SAML assertion {AssertionId} for organisation {OrgId} accepted")]
    public static partial void Accepted(ILogger logger, string orgId, string assertionId);

    [LoggerMessage(EventId = 4702, Level = LogLevel.Information, Message = "SAML AuthnRequest {RequestId} sent for organisation {OrgId}")]
    public static partial void RequestSent(ILogger logger, string orgId, string requestId);

    [LoggerMessage(EventId = 4703, Level = LogLevel.Information, Message = "Purged {Count} expired SAML requests and assertion ids")]
    public static partial void Purged(ILogger logger, int count);
}

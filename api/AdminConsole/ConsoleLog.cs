using Microsoft.Extensions.Logging;

namespace Taskee.Api.AdminConsole;

/// <summary>Admin console log messages (event ids 7040–7069). Credentials never appear here; callers by subject only.</summary>
internal static partial class ConsoleLog
{
    [LoggerMessage(EventId = 7040, Level = LogLevel.Information, Message = "Console session opened for {Subject} (organisation {OrgId})")]
    public static partial void SignedIn(ILogger logger, string subject, string orgId);

    [LoggerMessage(EventId = 7041, Level = LogLevel.Information, Message = "Console session closed for {Subject}")]
    public static partial void SignedOut(ILogger logger, string subject);

    [LoggerMessage(EventId = 7042, Level = LogLevel.Information, Message = "Console session refused: its credential no longer authenticates ({Reason})")]
    public static partial void CredentialRefused(ILogger logger, string reason);

    [LoggerMessage(EventId = 7043, Level = LogLevel.Warning, Message = "Console session refused: an unsafe request carried a CSRF token that is not the session's")]
    public static partial void CsrfNotBound(ILogger logger);

    [LoggerMessage(EventId = 7058, Level = LogLevel.Information, Message = "Console session opened over the SSO session of {Subject} (organisation {OrgId})")]
    public static partial void SsoSessionOpened(ILogger logger, string subject, string orgId);

    [LoggerMessage(EventId = 7059, Level = LogLevel.Debug, Message = "Console SSO session kept: its access token no longer authenticates ({Reason}); the page renews it")]
    public static partial void SsoTokenRefused(ILogger logger, string reason);
}

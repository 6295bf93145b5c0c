using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Orleans.Runtime;

namespace Taskee.Api.Infrastructure;

/// <summary>
/// Turns a client's malformed request (bad JSON, wrong types, a body too large) into a 4xx problem that
/// says what to fix. Anything else is a fault of ours: logged, and answered 500 without internals.
/// </summary>
public sealed partial class ProblemExceptionHandler(ILogger<ProblemExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken ct)
    {
        if (exception is BadHttpRequestException bad)
        {
            var status = bad.InnerException is BadHttpRequestException inner ? inner.StatusCode : bad.StatusCode;
            await Problems.Write(context, status, TitleFor(status), Describe(bad));
            return true;
        }

        if (exception is System.Data.Common.DbException or TimeoutException || exception.InnerException is System.Data.Common.DbException)
        {
            // The database is down or restarting: not the client's fault, and worth a retry.
            LogStorageUnavailable(exception, context.Request.Method, context.Request.Path);
            context.Response.Headers.RetryAfter = "2";
            await Problems.Write(context, StatusCodes.Status503ServiceUnavailable, "Service Unavailable",
                "Storage is unreachable right now. Retry in a few seconds; product checks of active organisations keep working from their leases.");
            return true;
        }

        if (IsClusterFailure(exception))
        {
            // The organisation's grain sits on a silo that just failed, or the cluster is still re-forming: never an
            // allow, never a hang; its next call activates it on a live silo once membership has declared the failure.
            LogClusterUnavailable(exception, context.Request.Method, context.Request.Path);
            context.Response.Headers.RetryAfter = "1";
            await Problems.Write(context, StatusCodes.Status503ServiceUnavailable, "Service Unavailable",
                "The silo holding this organisation is unreachable or failing over. Retry in a second; nothing was changed.");
            return true;
        }

        if (exception is OperationCanceledException && context.RequestAborted.IsCancellationRequested)
        {
            return true; // the client went away; nobody is left to answer
        }

        LogUnhandled(exception, context.Request.Method, context.Request.Path);
        await Problems.Write(context, StatusCodes.Status500InternalServerError, "Internal Server Error",
            $"The control plane failed to handle this request. Retry later; if it persists, report request id {context.TraceIdentifier}.");
        return true;
    }

    /// <summary>Orleans could not deliver the call or got no answer in time (a dead or unreachable silo).</summary>
    private static bool IsClusterFailure(Exception exception) =>
        exception is SiloUnavailableException or OrleansMessageRejectionException
            or GrainExtensionNotInstalledException or OrleansException
        || (exception is TimeoutException && exception.Source?.StartsWith("Orleans", StringComparison.Ordinal) == true)
        || (exception is OperationCanceledException && exception.InnerException is SiloUnavailableException);

    private static string TitleFor(int status) => status switch
    {
        StatusCodes.Status413PayloadTooLarge => "Payload Too Large",
        StatusCodes.Status415UnsupportedMediaType => "Unsupported Media Type",
        _ => "Bad Request",
    };

    private static string Describe(BadHttpRequestException bad) => bad.InnerException switch
    {
        JsonException json => JsonProblemDetail.Describe(json),
        BadHttpRequestException inner => inner.Message,
        _ when bad.Message.Contains("no body was provided", StringComparison.Ordinal) => "A JSON body is required.",
        _ => bad.Message,
    };

    [LoggerMessage(EventId = 3002, Level = LogLevel.Warning, Message = "Storage unavailable for {Method} {Path}")]
    private partial void LogStorageUnavailable(Exception exception, string method, string path);

    [LoggerMessage(EventId = 3003, Level = LogLevel.Warning, Message = "Cluster unavailable for {Method} {Path}")]
    private partial void LogClusterUnavailable(Exception exception, string method, string path);

    [LoggerMessage(EventId = 3001, Level = LogLevel.Error, Message = "Unhandled exception for {Method} {Path}")]
    private partial void LogUnhandled(Exception exception, string method, string path);
}

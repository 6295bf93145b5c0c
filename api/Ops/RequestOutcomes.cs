using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;

namespace Taskee.Api.Ops;

/// <summary>Requests and 5xx answers of this node since the last health sample.</summary>
public sealed class RequestOutcomes
{
    private long _requests;
    private long _errors;

    public void Record(bool error)
    {
        Interlocked.Increment(ref _requests);
        if (error) Interlocked.Increment(ref _errors);
    }

    public (long Requests, long Errors) Take() => (Interlocked.Exchange(ref _requests, 0), Interlocked.Exchange(ref _errors, 0));
}

/// <summary>
/// Puts the request id and organisation id on every log line of a request (a logging scope), and counts the
/// outcome for SLA samples: 5xx answers are errors of the node and of the organisation in the path.
/// </summary>
public sealed class RequestOutcomeMiddleware(RequestDelegate next, RequestOutcomes outcomes, TrafficMeter traffic, ILogger<RequestOutcomeMiddleware> logger)
{
    public async Task InvokeAsync(HttpContext context)
    {
        var orgId = context.GetRouteValue("orgId") as string;
        using var scope = logger.BeginScope(new RequestLogScope(context.TraceIdentifier, orgId));
        try
        {
            await next(context);
        }
        finally
        {
            var error = context.Response.StatusCode >= 500;
            if (context.Request.Path.StartsWithSegments("/v1")) outcomes.Record(error);
            if (error && orgId is not null) traffic.RecordError(orgId);
        }
    }
}

/// <summary>The request's logging scope: two named values, without a dictionary per request.</summary>
internal sealed class RequestLogScope(string requestId, string? orgId) : IReadOnlyList<KeyValuePair<string, object?>>
{
    public int Count => 2;

    public KeyValuePair<string, object?> this[int index] => index switch
    {
        0 => new("RequestId", requestId),
        1 => new("OrgId", orgId),
        _ => throw new ArgumentOutOfRangeException(nameof(index)),
    };

    public IEnumerator<KeyValuePair<string, object?>> GetEnumerator()
    {
        yield return this[0];
        yield return this[1];
    }

    System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();

    public override string ToString() => orgId is null ? $"RequestId:{requestId}" : $"RequestId:{requestId} OrgId:{orgId}";
}

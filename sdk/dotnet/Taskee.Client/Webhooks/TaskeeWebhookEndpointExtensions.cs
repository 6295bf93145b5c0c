using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Taskee.Client.Webhooks;

public static class TaskeeWebhookEndpointExtensions
{
    /// <summary>
    /// Maps <c>POST {pattern}</c> to receive the control plane's webhooks: a request whose signature does not verify is answered
    /// 400 or 401 (a problem with a <c>reason</c>) and never reaches <paramref name="handler"/>; a verified one runs it and is
    /// answered 204 when it completes, 500 when it throws (so Taskee retries, with the same <c>webhook-id</c>).
    /// </summary>
    /// <remarks>The endpoint allows anonymous callers: the signature is its authentication.</remarks>
    public static RouteHandlerBuilder MapTaskeeWebhooks(this IEndpointRouteBuilder endpoints, string pattern,
        Func<TaskeeWebhookEvent, CancellationToken, Task> handler, Action<TaskeeWebhookOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(handler);
        return endpoints.MapTaskeeWebhooks(pattern, (e, _, ct) => handler(e, ct), configure);
    }

    /// <summary>As above, with the request's services for a handler that needs them (a database, a queue).</summary>
    public static RouteHandlerBuilder MapTaskeeWebhooks(this IEndpointRouteBuilder endpoints, string pattern,
        Func<TaskeeWebhookEvent, IServiceProvider, CancellationToken, Task> handler, Action<TaskeeWebhookOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(handler);
        ArgumentNullException.ThrowIfNull(configure);
        var options = new TaskeeWebhookOptions();
        configure(options);
        var verifier = new TaskeeWebhookVerifier(options); // bad secrets fail here, at start-up, not on the first delivery

        return endpoints.MapPost(pattern, async (HttpContext http) =>
        {
            var logger = http.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(TaskeeWebhookEndpointExtensions));
            var body = await ReadBodyAsync(http.Request, options.MaxBodyBytes, http.RequestAborted);
            if (body is null)
                return Results.Problem(statusCode: 413, title: "Webhook too large",
                    detail: $"The body is larger than this receiver's limit of {options.MaxBodyBytes} bytes.",
                    extensions: new Dictionary<string, object?> { ["reason"] = "body_too_large" });

            var verification = verifier.Verify(http.Request.Headers, body.AsSpan());
            if (verification.Event is not { } e)
            {
                TaskeeClientLog.WebhookRefused(logger, http.Request.Headers[TaskeeWebhookVerifier.IdHeader].ToString(), verification.Reason);
                return Results.Problem(statusCode: verification.Status, title: "Webhook not verified", detail: verification.Detail,
                    extensions: new Dictionary<string, object?> { ["reason"] = verification.Reason });
            }

            try
            {
                await handler(e, http.RequestServices, http.RequestAborted);
            }
            catch (Exception ex) when (!http.RequestAborted.IsCancellationRequested)
            {
                TaskeeClientLog.WebhookHandlerFailed(logger, e.WebhookId, e.Type, ex);
                // No exception detail to the sender: it only needs to know to retry.
                return Results.Problem(statusCode: 500, title: "Webhook not handled",
                    detail: $"The receiver failed to handle webhook {e.WebhookId}; send it again later.",
                    extensions: new Dictionary<string, object?> { ["reason"] = "handler_failed" });
            }
            return Results.NoContent();
        }).AllowAnonymous().ExcludeFromDescription();
    }

    /// <summary>The raw body, or null when it is larger than <paramref name="limit"/> (read no further than that).</summary>
    private static async Task<byte[]?> ReadBodyAsync(HttpRequest request, long limit, CancellationToken ct)
    {
        if (request.ContentLength > limit) return null;
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, ct)) > 0)
        {
            if (buffer.Length + read > limit) return null;
            buffer.Write(chunk, 0, read);
        }
        return buffer.ToArray();
    }
}

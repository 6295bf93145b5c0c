using System.Security.Cryptography;
using Microsoft.AspNetCore.Http;
using Taskee.Api.Auth;
using Taskee.Grains.Storage;

namespace Taskee.Api.Infrastructure;

/// <summary>Marks a mutation that honours <c>Idempotency-Key</c>.</summary>
public sealed class IdempotentMutationAttribute : Attribute;

/// <summary>
/// For a marked endpoint called with <c>Idempotency-Key</c>: the first request executes and its successful
/// response is stored; the same key with the same method, path and body replays that response; the same key
/// with anything else is 422. Keys are per caller, so two tenants cannot collide. Failed responses are not
/// stored: nothing changed, so a retry simply executes again.
/// </summary>
public sealed class IdempotencyMiddleware(RequestDelegate next, IIdempotencyStore store)
{
    public const string HeaderName = "Idempotency-Key";
    public const string ReplayedHeader = "Idempotent-Replayed";

    // A claim whose node died before storing the response is taken over after this long.
    private static readonly TimeSpan StaleClaim = TimeSpan.FromMinutes(1);

    // Not async for requests it does not handle (every product API call): they cost no state machine of their own.
    public Task InvokeAsync(HttpContext context)
    {
        var key = context.Request.Headers[HeaderName].ToString();
        if (key.Length == 0 || context.GetEndpoint()?.Metadata.GetMetadata<IdempotentMutationAttribute>() is null
            || Caller.From(context.User) is not { } caller)
            return next(context);
        return HandleAsync(context, key, caller);
    }

    private async Task HandleAsync(HttpContext context, string key, Caller caller)
    {
        if (key.Length > 255 || key.Any(c => c < 0x21 || c > 0x7E))
        {
            await Problems.Write(context, StatusCodes.Status400BadRequest, "Bad Request",
                "Idempotency-Key must be 1 to 255 visible ASCII characters; a UUID is a good choice.");
            return;
        }

        var requestHash = await HashRequestAsync(context.Request);
        var entry = await store.ReserveAsync(caller.Subject, key, requestHash, StaleClaim, context.RequestAborted);
        if (!entry.Reserved)
        {
            await AnswerFromEarlierAsync(context, entry, requestHash);
            return;
        }

        await ExecuteAndStoreAsync(context, caller.Subject, key);
    }

    private static async Task AnswerFromEarlierAsync(HttpContext context, IdempotencyEntry entry, string requestHash)
    {
        if (entry.RequestHash != requestHash)
        {
            await Problems.Write(context, StatusCodes.Status422UnprocessableEntity, "Idempotency-Key reused",
                "This Idempotency-Key was already used for a different request (method, path or body). Use a new key for a new request.");
            return;
        }
        if (entry.Response is not { } stored)
        {
            context.Response.Headers.RetryAfter = "1";
            await Problems.Write(context, StatusCodes.Status409Conflict, "Request in progress",
                "A request with this Idempotency-Key is still being processed. Retry shortly to get its response.");
            return;
        }

        context.Response.StatusCode = stored.StatusCode;
        if (stored.ContentType is not null) context.Response.ContentType = stored.ContentType;
        if (stored.ETag is not null) context.Response.Headers.ETag = stored.ETag;
        if (stored.Location is not null) context.Response.Headers.Location = stored.Location;
        context.Response.Headers[ReplayedHeader] = "true";
        await context.Response.Body.WriteAsync(stored.Body, context.RequestAborted);
    }

    private async Task ExecuteAndStoreAsync(HttpContext context, string scope, string key)
    {
        var original = context.Response.Body;
        using var buffer = new MemoryStream();
        context.Response.Body = buffer;
        var stored = false;
        try
        {
            await next(context);
            var status = context.Response.StatusCode;
            if (status is >= 200 and < 300)
            {
                var response = new StoredResponse(status, context.Response.ContentType, context.Response.Headers.ETag.ToString() is { Length: > 0 } e ? e : null,
                    context.Response.Headers.Location.ToString() is { Length: > 0 } l ? l : null, buffer.ToArray());
                await store.CompleteAsync(scope, key, response, CancellationToken.None);
                stored = true;
            }
        }
        finally
        {
            context.Response.Body = original;
            if (!stored) await store.ReleaseAsync(scope, key, CancellationToken.None);
        }

        buffer.Position = 0;
        await buffer.CopyToAsync(original, context.RequestAborted);
    }

    private static async Task<string> HashRequestAsync(HttpRequest request)
    {
        request.EnableBuffering();
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(System.Text.Encoding.UTF8.GetBytes($"{request.Method} {request.Path}{request.QueryString}\n"));
        var chunk = new byte[8192];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, request.HttpContext.RequestAborted)) > 0) hash.AppendData(chunk, 0, read);
        request.Body.Position = 0;
        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }
}

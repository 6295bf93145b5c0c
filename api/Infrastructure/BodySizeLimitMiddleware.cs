using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.Extensions.Options;

namespace Taskee.Api.Infrastructure;

/// <summary>A smaller body limit for one endpoint (the public intake form), in place of <see cref="ApiOptions.MaxRequestBodyBytes"/>.</summary>
public sealed record BodySizeLimit(long Bytes) : IRequestSizeLimitMetadata
{
    public long? MaxRequestBodySize => Bytes;
}

/// <summary>
/// Refuses request bodies over <see cref="ApiOptions.MaxRequestBodyBytes"/> (or the endpoint's <see cref="BodySizeLimit"/>) with 413, whether the size is
/// announced (Content-Length) or only discovered while reading (chunked). Works the same under any server.
/// </summary>
public sealed class BodySizeLimitMiddleware(RequestDelegate next, IOptions<ApiOptions> options)
{
    // Not async: a request that passes costs no state machine of its own.
    public Task InvokeAsync(HttpContext context)
    {
        var limit = context.GetEndpoint()?.Metadata.GetMetadata<IRequestSizeLimitMetadata>()?.MaxRequestBodySize ?? options.Value.MaxRequestBodyBytes;
        if (context.Request.ContentLength > limit)
            return Problems.Write(context, StatusCodes.Status413PayloadTooLarge, "Payload Too Large",
                $"The request body is {context.Request.ContentLength} bytes; the limit is {limit} bytes. Split the request.");

        // Only a request that can carry a body without announcing its length (chunked) needs counting while read;
        // a GET without a body passes untouched.
        if (context.Request.ContentLength is null && context.Features.Get<IHttpRequestBodyDetectionFeature>()?.CanHaveBody != false)
            context.Request.Body = new LengthLimitedStream(context.Request.Body, limit);

        return next(context);
    }

    private sealed class LengthLimitedStream(Stream inner, long limit) : Stream
    {
        private long _read;

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => _read; set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => Count(inner.Read(buffer, offset, count));

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken ct = default) =>
            Count(await inner.ReadAsync(buffer, ct));

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken ct) =>
            ReadAsync(buffer.AsMemory(offset, count), ct).AsTask();

        private int Count(int read)
        {
            _read += read;
            if (_read > limit)
                throw new BadHttpRequestException($"The request body exceeds the limit of {limit} bytes. Split the request.", StatusCodes.Status413PayloadTooLarge);
            return read;
        }

        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}

using Taskee.Grains.Storage;

namespace Taskee.Api.Imports;

/// <summary>A stored upload read back as one stream, one chunk from the database at a time.</summary>
internal sealed class ImportInputStream(IImportStore store, string importId) : Stream
{
    private byte[] _chunk = [];
    private int _offset;
    private long _next;
    private bool _ended;

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken ct = default)
    {
        while (_offset == _chunk.Length)
        {
            if (_ended) return 0;
            var chunk = await store.ReadInputAsync(importId, _next, ct);
            if (chunk is null)
            {
                _ended = true;
                return 0;
            }
            (_chunk, _offset) = (chunk, 0);
            _next++;
        }
        var count = Math.Min(buffer.Length, _chunk.Length - _offset);
        _chunk.AsMemory(_offset, count).CopyTo(buffer);
        _offset += count;
        return count;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken ct) =>
        ReadAsync(buffer.AsMemory(offset, count), ct).AsTask();

    // The readers above it read asynchronously; a blocking read would hold a thread per database round trip.
    public override int Read(byte[] buffer, int offset, int count) =>
        throw new NotSupportedException("The stored import input is read asynchronously only.");

    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}

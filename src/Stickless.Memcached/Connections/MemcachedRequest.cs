using System.Buffers;
using Stickless.Memcached.Protocol;

namespace Stickless.Memcached.Connections;

/// <summary>
/// One request, already validated and serialized (into a pooled buffer), and the caller waiting for its reply.
/// It sits in its connection's FIFO from the moment it is written until its reply is read; a caller that gives up
/// only marks it abandoned, so its reply is still consumed in order and thrown away.
/// </summary>
internal sealed class MemcachedRequest
{
    private readonly TaskCompletionSource<MemcachedResponse> _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _sent = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private byte[]? _buffer;
    private int _abandoned;

    private MemcachedRequest(byte[] buffer, int length, MetaReplyShape shape, uint? opaque, int itemBytes, string description)
    {
        _buffer = buffer;
        Length = length;
        Shape = shape;
        Opaque = opaque;
        ItemBytes = itemBytes;
        Description = description;
    }

    /// <summary>The shape of the expected reply.</summary>
    public MetaReplyShape Shape { get; }

    /// <summary>The opaque token sent, which a meta reply must echo.</summary>
    public uint? Opaque { get; }

    /// <summary>For a store: key plus value bytes, checked against the node's item size before sending; 0 otherwise.</summary>
    public int ItemBytes { get; }

    /// <summary>The command word, for messages (never the key: keys are digests, but still not logged).</summary>
    public string Description { get; }

    /// <summary>The serialized bytes.</summary>
    public int Length { get; }

    /// <summary>When the request was handed to the socket (TimeProvider timestamp); 0 until then.</summary>
    public long WrittenAt { get; set; }

    public Task<MemcachedResponse> Completion => _completion.Task;

    /// <summary>Completes once the request was flushed to the socket, or will never be.</summary>
    public Task Sent => _sent.Task;

    public void MarkSent() => _sent.TrySetResult();

    public bool IsAbandoned => Volatile.Read(ref _abandoned) != 0;

    public ReadOnlySpan<byte> Bytes => _buffer.AsSpan(0, Length);

    /// <summary>An <c>mg</c>.</summary>
    public static MemcachedRequest Get(ReadOnlySpan<byte> key, MetaGetFlags flags, int touchTtlSeconds, uint opaque)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(MetaRequestWriter.MaxRequestLength(key.Length, 0));
        if (!MetaRequestWriter.TryWriteGet(buffer, key, flags, touchTtlSeconds, opaque, out var written))
        {
            ArrayPool<byte>.Shared.Return(buffer);
            throw new InvalidOperationException("The request buffer was too small.");
        }

        return new MemcachedRequest(buffer, written, MetaReplyShape.Meta, opaque, 0, "mg");
    }

    /// <summary>An <c>ms</c>.</summary>
    public static MemcachedRequest Set(ReadOnlySpan<byte> key, ReadOnlySpan<byte> value, in MetaSetOptions options, uint opaque)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(MetaRequestWriter.MaxRequestLength(key.Length, value.Length));
        try
        {
            if (!MetaRequestWriter.TryWriteSet(buffer, key, value, options, opaque, out var written))
            {
                throw new InvalidOperationException("The request buffer was too small.");
            }

            return new MemcachedRequest(buffer, written, MetaReplyShape.Meta, opaque, key.Length + value.Length, "ms");
        }
        catch
        {
            ArrayPool<byte>.Shared.Return(buffer);
            throw;
        }
    }

    /// <summary>An <c>md</c>.</summary>
    public static MemcachedRequest Delete(ReadOnlySpan<byte> key, ulong cas, uint opaque)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(MetaRequestWriter.MaxRequestLength(key.Length, 0));
        try
        {
            if (!MetaRequestWriter.TryWriteDelete(buffer, key, cas, opaque, out var written))
            {
                throw new InvalidOperationException("The request buffer was too small.");
            }

            return new MemcachedRequest(buffer, written, MetaReplyShape.Meta, opaque, 0, "md");
        }
        catch
        {
            ArrayPool<byte>.Shared.Return(buffer);
            throw;
        }
    }

    /// <summary>A command without key: <c>mn</c>, <c>version</c>, <c>stats</c>, <c>stats settings</c>, <c>flush_all</c>.</summary>
    public static MemcachedRequest Command(string commandLine, MetaReplyShape shape)
    {
        var bytes = System.Text.Encoding.ASCII.GetBytes(commandLine);
        var buffer = ArrayPool<byte>.Shared.Rent(bytes.Length + 2);
        MetaRequestWriter.TryWriteCommand(buffer, bytes, out var written);
        return new MemcachedRequest(buffer, written, shape, null, 0, commandLine);
    }

    /// <summary>Gives the serialized bytes back to the pool once they are in the socket's buffer (or never will be).</summary>
    public void ReleaseBuffer()
    {
        var buffer = Interlocked.Exchange(ref _buffer, null);
        if (buffer is not null)
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>The caller stopped waiting; the reply, if any, will be discarded.</summary>
    public void Abandon() => Interlocked.Exchange(ref _abandoned, 1);

    public void Complete(in MemcachedResponse response)
    {
        _sent.TrySetResult();
        _completion.TrySetResult(response);
    }

    /// <remarks>Does not release the buffer: the write loop may be copying it; whoever last holds it releases it.</remarks>
    public void Fail(Exception exception)
    {
        _sent.TrySetResult();
        // Nobody observes an abandoned request's task; cancelling it keeps an unobserved exception away.
        if (IsAbandoned)
        {
            _completion.TrySetCanceled();
        }
        else
        {
            _completion.TrySetException(exception);
        }
    }
}

using System.Buffers;

namespace Stickless.Lab.Network;

/// <summary>
/// Bytes read from one side, waiting to be written to the other: a pooled buffer, when they were read, and their jitter
/// draw. A chunk with no buffer marks the end of the stream (the sender shut down its side).
/// </summary>
internal sealed class ProxyChunk
{
    private ProxyChunk(byte[]? buffer, int length, long readAt, double jitterDraw)
    {
        Buffer = buffer;
        IsEndOfStream = buffer is null;
        Length = length;
        ReadAt = readAt;
        JitterDraw = jitterDraw;
    }

    /// <summary>The rented buffer; null for the end of the stream, and once released.</summary>
    public byte[]? Buffer { get; private set; }

    /// <summary>How many bytes of <see cref="Buffer"/> are data.</summary>
    public int Length { get; }

    /// <summary>When they were read (<see cref="TimeProvider.GetTimestamp"/>).</summary>
    public long ReadAt { get; }

    /// <summary>Where in [-1, 1] this chunk's jitter falls: its delay is latency + draw × jitter.</summary>
    public double JitterDraw { get; }

    /// <summary>True for the end-of-stream marker.</summary>
    public bool IsEndOfStream { get; }

    /// <summary>The data.</summary>
    public ReadOnlyMemory<byte> Data => Buffer is null ? ReadOnlyMemory<byte>.Empty : Buffer.AsMemory(0, Length);

    /// <summary>Copies <paramref name="data"/> into a pooled buffer of about its size.</summary>
    public static ProxyChunk Copy(ReadOnlySpan<byte> data, long readAt, double jitterDraw)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(data.Length);
        data.CopyTo(buffer);
        return new ProxyChunk(buffer, data.Length, readAt, jitterDraw);
    }

    /// <summary>The end-of-stream marker.</summary>
    public static ProxyChunk EndOfStream(long readAt) => new(null, 0, readAt, 0);

    /// <summary>Returns the buffer to the pool; the chunk must not be used after.</summary>
    public void Release()
    {
        if (Buffer is { } buffer)
        {
            Buffer = null;
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}

using System.Buffers;
using System.Net.Sockets;

namespace Stickless.Lab.Network;

/// <summary>
/// One direction of one proxied connection: a reader that takes bytes from the source into a bounded
/// <see cref="ChunkQueue"/> (or throws them away, or resets the connection, as the faults say), and a writer that
/// holds each chunk for its latency, paces it to the bandwidth cap and writes it to the destination.
/// </summary>
internal sealed class DirectionPump
{
    private readonly ProxyConnection connection;
    private readonly FaultProxy proxy;
    private readonly ProxyDirection direction;
    private readonly Func<CancellationToken, Task<Socket?>> source;
    private readonly Func<CancellationToken, Task<Socket?>> destination;
    private readonly ChunkQueue queue;
    private readonly TimeProvider time;
    private long nextSliceAt;
    private long writing;

    public DirectionPump(
        ProxyConnection connection, ProxyDirection direction, Func<CancellationToken, Task<Socket?>> source, Func<CancellationToken, Task<Socket?>> destination)
    {
        this.connection = connection;
        proxy = connection.Proxy;
        this.direction = direction;
        this.source = source;
        this.destination = destination;
        queue = new ChunkQueue(proxy.Options.MaxBufferedBytesPerDirection);
        time = proxy.Options.Time;
    }

    /// <summary>Bytes read and not yet written: those queued and the chunk the writer holds.</summary>
    public long Buffered => queue.Bytes + Interlocked.Read(ref writing);

    /// <summary>Ends when the end of the stream has been forwarded, or when the connection stops.</summary>
    public Task RunAsync(CancellationToken ct) => Task.WhenAll(ReadAsync(ct), WriteAsync(ct));

    /// <summary>Drops whatever waits; called when the connection ends.</summary>
    public void Close() => queue.Close();

    private async Task ReadAsync(CancellationToken ct)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(proxy.Options.ReadChunkBytes);
        try
        {
            var socket = await source(ct).ConfigureAwait(false);
            if (socket is null)
            {
                return;
            }

            while (true)
            {
                var changed = proxy.Signal.Next;
                var faults = proxy.Faults.For(direction);
                if (faults.Blocked)
                {
                    // Not reading is the partition: the bytes wait in the sender's socket buffers, and nothing is lost.
                    await changed.WaitAsync(ct).ConfigureAwait(false);
                    continue;
                }

                var read = await socket.ReceiveAsync(buffer.AsMemory(0, proxy.Options.ReadChunkBytes), SocketFlags.None, ct).ConfigureAwait(false);
                var readAt = time.GetTimestamp();
                if (read == 0)
                {
                    await queue.EnqueueAsync(ProxyChunk.EndOfStream(readAt), ct).ConfigureAwait(false);
                    return;
                }

                faults = proxy.Faults.For(direction);
                if (faults.ResetProbability > 0 && proxy.Draw() < faults.ResetProbability)
                {
                    connection.Reset("fault");
                    return;
                }

                if (faults.DropProbability > 0 && proxy.Draw() < faults.DropProbability)
                {
                    if (faults.DropMode == DropMode.Close)
                    {
                        connection.CloseByDrop(direction);
                        return;
                    }

                    proxy.CountDiscarded(direction, read);
                    continue;
                }

                if (faults.Discard)
                {
                    proxy.CountDiscarded(direction, read);
                    continue;
                }

                await queue.EnqueueAsync(ProxyChunk.Copy(buffer.AsSpan(0, read), readAt, (proxy.Draw() * 2) - 1), ct).ConfigureAwait(false);
            }
        }
        catch (Exception exception) when (exception is SocketException or ObjectDisposedException or OperationCanceledException)
        {
            // The source broke (a reset from its side), or the connection is ending: either way it ends now.
            connection.Reset(ct.IsCancellationRequested ? "stop" : "error");
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private async Task WriteAsync(CancellationToken ct)
    {
        try
        {
            while (true)
            {
                var chunk = await queue.DequeueAsync(ct).ConfigureAwait(false);
                Interlocked.Exchange(ref writing, chunk.Length);
                try
                {
                    if (chunk.IsEndOfStream && direction == ProxyDirection.ClientToServer && !connection.UpstreamRequested)
                    {
                        // The client left before its link ever let it through: there is nobody to tell.
                        connection.Close();
                        return;
                    }

                    if (!await HoldAsync(chunk, ct).ConfigureAwait(false))
                    {
                        continue;
                    }

                    var socket = await destination(ct).ConfigureAwait(false);
                    if (socket is null)
                    {
                        return;
                    }

                    if (chunk.IsEndOfStream)
                    {
                        // Half-close, as the sender did: the other direction may still carry replies.
                        socket.Shutdown(SocketShutdown.Send);
                        return;
                    }

                    await SendPacedAsync(socket, chunk.Data, ct).ConfigureAwait(false);
                    proxy.CountForwarded(direction, chunk.Length);
                }
                finally
                {
                    Interlocked.Exchange(ref writing, 0);
                    chunk.Release();
                }
            }
        }
        catch (Exception exception) when (exception is SocketException or ObjectDisposedException or OperationCanceledException)
        {
            connection.Reset(ct.IsCancellationRequested ? "stop" : "error");
        }
    }

    /// <summary>Waits until <paramref name="chunk"/> may leave: not blocked, its delay over. False when it was black-holed meanwhile.</summary>
    private async Task<bool> HoldAsync(ProxyChunk chunk, CancellationToken ct)
    {
        while (true)
        {
            var changed = proxy.Signal.Next;
            var faults = proxy.Faults.For(direction);
            if (faults.Discard && !chunk.IsEndOfStream)
            {
                proxy.CountDiscarded(direction, chunk.Length);
                return false;
            }

            // End of stream is never thrown away: a connection must not outlive its client for good.
            if (faults.Blocked || faults.Discard)
            {
                await changed.WaitAsync(ct).ConfigureAwait(false);
                continue;
            }

            var delay = faults.Latency + (faults.Jitter * chunk.JitterDraw);
            var held = time.GetElapsedTime(chunk.ReadAt);
            if (held >= delay)
            {
                proxy.RecordHeld(held);
                return true;
            }

            // Woken early by a change of faults: the chunk then follows the new latency.
            using var wake = CancellationTokenSource.CreateLinkedTokenSource(ct);
            var elapsed = Task.Delay(delay - held, time, wake.Token);
            await Task.WhenAny(elapsed, changed).ConfigureAwait(false);
            await wake.CancelAsync().ConfigureAwait(false);
            ct.ThrowIfCancellationRequested();
        }
    }

    private async Task SendPacedAsync(Socket socket, ReadOnlyMemory<byte> data, CancellationToken ct)
    {
        while (!data.IsEmpty)
        {
            var rate = proxy.Faults.For(direction).BytesPerSecond;
            var slice = data.Length;
            if (rate is { } bytesPerSecond)
            {
                // Paced slice by slice (50 ms of the cap each, at least 256 bytes): no burst beyond one slice.
                slice = (int)Math.Min(data.Length, Math.Max(256, bytesPerSecond / 20));
                var now = time.GetTimestamp();
                var start = Math.Max(now, nextSliceAt);
                if (start > now)
                {
                    await Task.Delay(time.GetElapsedTime(now, start), time, ct).ConfigureAwait(false);
                }

                nextSliceAt = start + (long)(slice * (double)time.TimestampFrequency / bytesPerSecond);
            }

            var sent = await socket.SendAsync(data[..slice], SocketFlags.None, ct).ConfigureAwait(false);
            data = data[sent..];
        }
    }
}

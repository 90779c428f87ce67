namespace Stickless.Lab.Network;

/// <summary>
/// The delay line of one direction: chunks read and not yet written, bounded in bytes. One reader enqueues, one writer
/// dequeues. When it is full the reader waits, so it stops reading and the sender's TCP window closes: memory stays
/// bounded however slow the link is made.
/// </summary>
internal sealed class ChunkQueue
{
    private readonly Lock gate = new();
    private readonly Queue<ProxyChunk> chunks = new();
    private readonly int capacity;
    private long bytes;
    private TaskCompletionSource? roomWaiter;
    private TaskCompletionSource? itemWaiter;
    private bool closed;

    /// <summary>Creates a queue holding at most <paramref name="capacity"/> bytes (one larger chunk is always let in when it is empty).</summary>
    public ChunkQueue(int capacity) => this.capacity = capacity;

    /// <summary>Bytes waiting now.</summary>
    public long Bytes => Interlocked.Read(ref bytes);

    /// <summary>Adds a chunk, waiting while the queue is full.</summary>
    /// <exception cref="OperationCanceledException">Cancelled, or the queue was closed (the chunk is released).</exception>
    public async ValueTask EnqueueAsync(ProxyChunk chunk, CancellationToken ct)
    {
        while (true)
        {
            Task room;
            lock (gate)
            {
                if (closed)
                {
                    chunk.Release();
                    throw new OperationCanceledException("The connection is closed.");
                }

                if (chunks.Count == 0 || bytes + chunk.Length <= capacity)
                {
                    chunks.Enqueue(chunk);
                    Interlocked.Add(ref bytes, chunk.Length);
                    itemWaiter?.TrySetResult();
                    itemWaiter = null;
                    return;
                }

                roomWaiter ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                room = roomWaiter.Task;
            }

            try
            {
                await room.WaitAsync(ct).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                chunk.Release();
                throw;
            }
        }
    }

    /// <summary>Takes the oldest chunk, waiting while the queue is empty.</summary>
    /// <exception cref="OperationCanceledException">Cancelled, or the queue was closed.</exception>
    public async ValueTask<ProxyChunk> DequeueAsync(CancellationToken ct)
    {
        while (true)
        {
            Task item;
            lock (gate)
            {
                if (closed)
                {
                    throw new OperationCanceledException("The connection is closed.");
                }

                if (chunks.TryDequeue(out var chunk))
                {
                    Interlocked.Add(ref bytes, -chunk.Length);
                    roomWaiter?.TrySetResult();
                    roomWaiter = null;
                    return chunk;
                }

                itemWaiter ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                item = itemWaiter.Task;
            }

            await item.WaitAsync(ct).ConfigureAwait(false);
        }
    }

    /// <summary>Releases every waiting chunk and refuses new ones; waiters end with <see cref="OperationCanceledException"/>.</summary>
    public void Close()
    {
        lock (gate)
        {
            closed = true;
            while (chunks.TryDequeue(out var chunk))
            {
                chunk.Release();
            }

            Interlocked.Exchange(ref bytes, 0);
            roomWaiter?.TrySetCanceled();
            itemWaiter?.TrySetCanceled();
            roomWaiter = null;
            itemWaiter = null;
        }
    }
}

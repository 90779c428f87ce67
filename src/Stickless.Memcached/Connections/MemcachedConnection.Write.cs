using System.Buffers;

namespace Stickless.Memcached.Connections;

internal sealed partial class MemcachedConnection
{
    // Flush in the middle of a batch past this many bytes, so a burst does not buffer without bound.
    private const int FlushThreshold = 256 * 1024;

    private async Task WriteLoopAsync()
    {
        Exception? error = null;
        try
        {
            var outbox = _outbox.Reader;
            var token = _shutdown.Token;
            var batch = new List<MemcachedRequest>();
            while (await outbox.WaitToReadAsync(token).ConfigureAwait(false))
            {
                while (outbox.TryRead(out var request))
                {
                    if (!TryMarkSent(request))
                    {
                        continue;
                    }

                    try
                    {
                        _output.Write(request.Bytes);
                    }
                    finally
                    {
                        request.ReleaseBuffer();
                    }

                    batch.Add(request);

                    if (_output.UnflushedBytes >= FlushThreshold)
                    {
                        var partial = await _output.FlushAsync(token).ConfigureAwait(false);
                        if (partial.IsCompleted)
                        {
                            return;
                        }
                    }
                }

                var flushed = await _output.FlushAsync(token).ConfigureAwait(false);
                foreach (var sent in batch)
                {
                    sent.MarkSent();
                }

                batch.Clear();
                if (flushed.IsCompleted)
                {
                    break;
                }
            }
        }
        catch (Exception ex)
        {
            error = ex;
        }
        finally
        {
            Fail(error ?? new MemcachedConnectionException($"The connection to memcached {Node} stopped writing.") { Node = Node });
            await _output.CompleteAsync().ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Puts the request in the FIFO before its bytes are written, so its reply can never arrive first. A request
    /// its caller already gave up on is never written at all.
    /// </summary>
    private bool TryMarkSent(MemcachedRequest request)
    {
        if (request.IsAbandoned)
        {
            request.ReleaseBuffer();
            request.Fail(new OperationCanceledException());
            return false;
        }

        lock (_gate)
        {
            if (!_dead)
            {
                request.WrittenAt = _time.GetTimestamp();
                _sent.Enqueue(request);
                return true;
            }
        }

        request.ReleaseBuffer();
        request.Fail(new MemcachedConnectionException($"The connection to memcached {Node} is closed.") { Node = Node });
        return false;
    }
}

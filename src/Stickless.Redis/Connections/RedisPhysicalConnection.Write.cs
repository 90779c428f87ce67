using Stickless.Redis.Resp;

namespace Stickless.Redis.Connections;

internal sealed partial class RedisPhysicalConnection
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
            while (await outbox.WaitToReadAsync(token).ConfigureAwait(false))
            {
                while (outbox.TryRead(out var operation))
                {
                    if (!TryMarkSent(operation)) { continue; }
                    RespWriter.WriteCommand(_output, operation.Command, operation.Args);
                    if (_output.UnflushedBytes >= FlushThreshold)
                    {
                        var partial = await _output.FlushAsync(token).ConfigureAwait(false);
                        if (partial.IsCompleted) { return; }
                    }
                }
                var flushed = await _output.FlushAsync(token).ConfigureAwait(false);
                if (flushed.IsCompleted) { break; }
            }
        }
        catch (Exception ex)
        {
            error = ex;
        }
        finally
        {
            Fail(error ?? new RedisConnectionException($"The connection to Redis {Endpoint} stopped writing.") { Endpoint = Endpoint });
            await _output.CompleteAsync().ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Puts the operation in the FIFO before its bytes are written, so its reply can never arrive first.
    /// An operation its caller already gave up on is never written at all.
    /// </summary>
    private bool TryMarkSent(RedisOperation operation)
    {
        if (operation.IsAbandoned)
        {
            operation.Fail(new OperationCanceledException());
            return false;
        }
        lock (_gate)
        {
            if (!_dead)
            {
                operation.WrittenAt = _time.GetTimestamp();
                _sent.Enqueue(operation);
                return true;
            }
        }
        operation.Fail(new RedisConnectionException($"The connection to Redis {Endpoint} is closed.") { Endpoint = Endpoint });
        return false;
    }
}

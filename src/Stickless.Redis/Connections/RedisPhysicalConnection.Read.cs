using System.Buffers;
using Microsoft.Extensions.Logging;
using Stickless.Redis.Resp;

namespace Stickless.Redis.Connections;

internal sealed partial class RedisPhysicalConnection
{
    private async Task ReadLoopAsync()
    {
        Exception? error = null;
        try
        {
            var token = _shutdown.Token;
            while (true)
            {
                var result = await _input.ReadAsync(token).ConfigureAwait(false);
                var buffer = result.Buffer;
                var consumed = ProcessReplies(buffer);
                if (result.IsCompleted)
                {
                    var leftover = buffer.Slice(consumed).Length;
                    error = new RedisConnectionException(leftover > 0
                        ? $"Redis {Endpoint} closed the connection in the middle of a reply ({leftover} bytes of it received)."
                        : $"Redis {Endpoint} closed the connection.") { Endpoint = Endpoint };
                    break;
                }
                // Consumed up to the last whole reply; examined everything, so the next read waits for more bytes.
                _input.AdvanceTo(consumed, buffer.End);
            }
        }
        catch (Exception ex)
        {
            error = ex;
        }
        finally
        {
            Fail(error!);
            await _input.CompleteAsync().ConfigureAwait(false);
        }
    }

    private SequencePosition ProcessReplies(ReadOnlySequence<byte> buffer)
    {
        var reader = new RespReader(buffer, _settings.Options.Reader);
        while (reader.TryRead(out var reply))
        {
            Dispatch(reply);
        }
        return reader.Position;
    }

    private void Dispatch(in RespValue reply)
    {
        if (_settings.OutOfBand?.Invoke(reply) == true) { return; }
        if (reply.Type == RespType.Push && !_settings.PushesAnswerCommands)
        {
            if (_logger.IsEnabled(LogLevel.Debug))
            {
                _logger.UnexpectedPush(Endpoint, reply.Count > 0 ? reply[0].GetString() : null);
            }
            return;
        }
        RedisOperation? operation;
        lock (_gate) { _sent.TryDequeue(out operation); }
        if (operation is null)
        {
            // A reply nobody asked for means we no longer know which reply belongs to whom.
            throw new RespProtocolException($"Redis sent a reply no command was waiting for: {reply}.");
        }
        operation.Complete(reply);
    }
}

using System.Buffers;
using System.Text;
using Stickless.Memcached.Protocol;

namespace Stickless.Memcached.Connections;

internal sealed partial class MemcachedConnection
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
                    error = new MemcachedConnectionException(leftover > 0
                        ? $"memcached {Node} closed the connection in the middle of a reply ({leftover} bytes of it received)."
                        : $"memcached {Node} closed the connection.") { Node = Node };
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
        var reader = new MetaReplyReader(buffer, Limits);
        while (reader.Consumed < buffer.Length)
        {
            MemcachedRequest? request;
            lock (_gate)
            {
                _sent.TryPeek(out request);
            }

            if (request is null)
            {
                // A reply nobody asked for means we no longer know which reply belongs to whom.
                throw new MetaProtocolException($"memcached {Node} sent {buffer.Length - reader.Consumed} bytes no request was waiting for.");
            }

            if (!reader.TryRead(request.Shape, out var reply))
            {
                break;
            }

            lock (_gate)
            {
                _sent.Dequeue();
            }

            // Until Dispatch returns, the request is in neither the FIFO nor done: a teardown must still fail it.
            _inDispatch = request;
            Dispatch(request, reply);
            _inDispatch = null;
        }

        return reader.Position;
    }

    private void Dispatch(MemcachedRequest request, in MetaReply reply)
    {
        if (reply.IsError)
        {
            var text = reply.Data.IsEmpty ? null : Encoding.ASCII.GetString(reply.Data);
            var error = new MemcachedServerException($"memcached {Node} answered {reply.Status} to {request.Description}{(text is null ? "" : ": " + text)}.")
            {
                Status = reply.Status,
                Node = Node,
            };
            if (reply.Status != MetaStatus.ServerError)
            {
                // ERROR and CLIENT_ERROR answer a request the client validated: the server read something else
                // than what was meant, so nothing after it on this connection can be trusted.
                throw error;
            }

            _logger.ServerError(Node, reply.Status.ToString(), request.Description, text);
            request.Fail(error);
            return;
        }

        if (request.Opaque is { } expected && reply.Opaque != expected)
        {
            throw new MetaProtocolException(reply.Opaque is null
                ? $"memcached {Node} answered {reply.Status} without the opaque token O{expected}."
                : $"memcached {Node} answered with opaque O{reply.Opaque} where O{expected} was expected: the reply belongs to another request.");
        }

        if (request.Opaque is null && request.Shape == MetaReplyShape.Meta && reply.Status != MetaStatus.NoOp)
        {
            throw new MetaProtocolException($"memcached {Node} answered {reply.Status} to mn.");
        }

        if (request.IsAbandoned)
        {
            request.Fail(new OperationCanceledException());
            return;
        }

        byte[]? value = null;
        string? text2 = null;
        if (reply.Status == MetaStatus.Value)
        {
            value = reply.Data.ToArray();
        }
        else if (reply.Status is MetaStatus.Version or MetaStatus.Stats)
        {
            text2 = Encoding.ASCII.GetString(reply.Data);
        }

        request.Complete(new MemcachedResponse(reply.Status, value, reply.Cas ?? 0, reply.ClientFlags ?? 0, reply.Ttl, reply.Marks, text2));
    }
}

using System.Collections.Concurrent;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Stickless.Replication.Transport;

/// <summary>
/// The receiving end of the peer protocol, mapped at <see cref="PeerClient.Path"/> in the app's own Kestrel: reads
/// at most the frame limit, authenticates the frame, refuses frames not meant for this node, from unknown senders,
/// too far from this node's clock, or seen before, hands the rest to the handler and answers with a tagged frame.
/// </summary>
/// <remarks>
/// Refusals are bare HTTP statuses with no body: 413 (too large), 400 (malformed), 401 (wrong tag, replayed or
/// stale), 403 (unknown sender or another recipient), 503 (no handler yet: the store is not created).
/// </remarks>
internal sealed class PeerServer
{
    private readonly LocalNode _self;
    private readonly PeerFrameCodec _codec;
    private readonly PeerTraffic _traffic;
    private readonly TimeProvider _time;
    private readonly TimeSpan _maxSkew;
    private readonly HashSet<string> _peers;
    private readonly ILogger _logger;
    // One window per sender incarnation, not per sender: with one per sender, a frame of another incarnation (a peer's
    // previous life, or a forged one) replaced the window and let every frame of the current one be replayed. A window
    // is dropped once it has been unused for twice the clock skew allowed: a frame old enough to need it is refused as
    // stale anyway. Only authenticated frames from known peers create windows, so there are few.
    private readonly ConcurrentDictionary<(string Sender, ulong Incarnation), (ReplayWindow Window, long LastUsed)> _windows = new();
    private long _nextSweep;

    public PeerServer(LocalNode self, PeerFrameCodec codec, PeerTraffic traffic, TimeProvider time, TimeSpan maxSkew, IEnumerable<string> peers, ILogger logger)
    {
        _self = self;
        _codec = codec;
        _traffic = traffic;
        _time = time;
        _maxSkew = maxSkew;
        _peers = new HashSet<string>(peers, StringComparer.Ordinal);
        _peers.Remove(self.NodeId);
        _logger = logger;
    }

    /// <summary>Answers the requests; set once the store exists.</summary>
    public IPeerMessageHandler? Handler { get; set; }

    /// <summary>Called with (node id, incarnation) for every authenticated request: a sign of life.</summary>
    public Action<string, ulong>? Heard { get; set; }

    /// <summary>Handles one HTTP request to the peer endpoint.</summary>
    public async Task HandleAsync(HttpContext context)
    {
        var response = context.Response;
        if (!HttpMethods.IsPost(context.Request.Method))
        {
            response.StatusCode = StatusCodes.Status405MethodNotAllowed;
            return;
        }

        if (context.Request.ContentLength is { } declared && declared > _codec.MaxFrameBytes)
        {
            ReplicationLog.PeerFrameRefused(_logger, "too large", null);
            response.StatusCode = StatusCodes.Status413PayloadTooLarge;
            return;
        }

        byte[]? body = await ReadBoundedAsync(context.Request.Body, context.RequestAborted).ConfigureAwait(false);
        if (body is null)
        {
            ReplicationLog.PeerFrameRefused(_logger, "too large", null);
            response.StatusCode = StatusCodes.Status413PayloadTooLarge;
            return;
        }

        PeerFrame frame;
        try
        {
            frame = _codec.Decode(body);
        }
        catch (PeerProtocolException ex)
        {
            ReplicationLog.PeerFrameRefused(_logger, ex.Message, null);
            response.StatusCode = ex.Message.Contains("authentication", StringComparison.Ordinal) ? StatusCodes.Status401Unauthorized : StatusCodes.Status400BadRequest;
            return;
        }

        if (frame.IsResponse || frame.Recipient != _self.NodeId || !_peers.Contains(frame.Sender))
        {
            ReplicationLog.PeerFrameRefused(_logger, $"from {frame.Sender} to {frame.Recipient}: not a request for this node from a known peer", null);
            response.StatusCode = StatusCodes.Status403Forbidden;
            return;
        }

        var skew = (_time.GetUtcNow() - frame.SentAt).Duration();
        if (skew > _maxSkew || !WindowFor(frame.Sender, frame.SenderIncarnation).TryAccept(frame.Sequence))
        {
            ReplicationLog.PeerFrameRefused(_logger, $"from {frame.Sender}: replayed or stale (clock skew {skew.TotalSeconds:0.0} s)", null);
            response.StatusCode = StatusCodes.Status401Unauthorized;
            return;
        }

        _traffic.Count(frame.Type, sent: false, frame.FrameBytes);
        Heard?.Invoke(frame.Sender, frame.SenderIncarnation);
        if (Handler is not { } handler)
        {
            response.StatusCode = StatusCodes.Status503ServiceUnavailable;
            return;
        }

        PeerReply reply;
        try
        {
            reply = await handler.HandleAsync(frame, context.RequestAborted).ConfigureAwait(false);
        }
        catch (PeerProtocolException ex)
        {
            ReplicationLog.PeerFrameRefused(_logger, $"{frame.Type} from {frame.Sender}: {ex.Message}", null);
            response.StatusCode = StatusCodes.Status400BadRequest;
            return;
        }

        var answer = _codec.Encode(reply.Type, isResponse: true, _self.NodeId, _self.Incarnation, frame.Sender, _time.GetUtcNow(), frame.Sequence, reply.Body.Span);
        _traffic.Count(reply.Type, sent: true, answer.Length);
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = "application/octet-stream";
        response.ContentLength = answer.Length;
        await response.Body.WriteAsync(answer, context.RequestAborted).ConfigureAwait(false);
    }

    private ReplayWindow WindowFor(string sender, ulong incarnation)
    {
        var now = _time.GetTimestamp();
        var entry = _windows.AddOrUpdate(
            (sender, incarnation),
            static (_, now) => (new ReplayWindow(), now),
            static (_, current, now) => (current.Window, now),
            now);
        if (now >= Interlocked.Read(ref _nextSweep))
        {
            Interlocked.Exchange(ref _nextSweep, now + (long)(_maxSkew.TotalSeconds * _time.TimestampFrequency));
            foreach (var (key, value) in _windows)
            {
                if (_time.GetElapsedTime(value.LastUsed, now) > _maxSkew * 2)
                {
                    _windows.TryRemove(new KeyValuePair<(string, ulong), (ReplayWindow, long)>(key, value));
                }
            }
        }

        return entry.Window;
    }

    private async Task<byte[]?> ReadBoundedAsync(Stream body, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await body.ReadAsync(chunk, cancellationToken).ConfigureAwait(false)) > 0)
        {
            if (buffer.Length + read > _codec.MaxFrameBytes)
            {
                return null;
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }
}

using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;

namespace Stickless.Replication.Transport;

/// <summary>
/// Sends peer requests: one multiplexed HTTP/2 connection per peer (cleartext h2c with prior knowledge for
/// <c>http://</c> peers, ALPN for <c>https://</c>), each call bounded by the peer timeout, every answer
/// authenticated and matched to its request before it is returned.
/// </summary>
internal sealed class PeerClient : IDisposable
{
    /// <summary>The path of the peer endpoint under each node's base address.</summary>
    public const string Path = "/stickless/peer";

    private static readonly MediaTypeHeaderValue OctetStream = new("application/octet-stream");

    private readonly LocalNode _self;
    private readonly PeerFrameCodec _codec;
    private readonly PeerTraffic _traffic;
    private readonly Dictionary<string, Uri> _endpoints;
    private readonly TimeProvider _time;
    private readonly TimeSpan _timeout;
    private readonly HttpClient _http;
    private readonly ConcurrentDictionary<string, StrongBox> _sequences = new(StringComparer.Ordinal);

    public PeerClient(LocalNode self, PeerFrameCodec codec, PeerTraffic traffic, IReadOnlyDictionary<string, Uri> baseUrls, TimeProvider time, TimeSpan timeout)
    {
        _self = self;
        _codec = codec;
        _traffic = traffic;
        _time = time;
        _timeout = timeout;
        _endpoints = baseUrls.ToDictionary(p => p.Key, p => new Uri(p.Value, Path), StringComparer.Ordinal);
        _http = new HttpClient(new SocketsHttpHandler
        {
            // One connection per peer carries every concurrent call as its own HTTP/2 stream.
            EnableMultipleHttp2Connections = false,
            ConnectTimeout = timeout,
            PooledConnectionIdleTimeout = TimeSpan.FromMinutes(5),
            KeepAlivePingDelay = TimeSpan.FromSeconds(10),
            KeepAlivePingTimeout = TimeSpan.FromSeconds(5),
            UseCookies = false,
            AllowAutoRedirect = false,
            AutomaticDecompression = DecompressionMethods.None,
        })
        {
            DefaultRequestVersion = HttpVersion.Version20,
            DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact,
            Timeout = Timeout.InfiniteTimeSpan,
        };
    }

    /// <summary>Called with (node id, incarnation) whenever a peer answers: the membership counts it as a sign of life.</summary>
    public Action<string, ulong>? Heard { get; set; }

    /// <summary>Sends one request to <paramref name="peer"/> and returns its authenticated answer.</summary>
    /// <exception cref="PeerUnreachableException">No answer within the peer timeout, or a transport or HTTP error.</exception>
    /// <exception cref="PeerProtocolException">The answer was malformed, unauthenticated or not the answer to this request.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> fired.</exception>
    public async Task<PeerFrame> SendAsync(string peer, PeerMessageType type, ReadOnlyMemory<byte> body, CancellationToken cancellationToken, TimeSpan? timeout = null)
    {
        if (!_endpoints.TryGetValue(peer, out var endpoint))
        {
            throw new PeerUnreachableException(peer, "not in the peer list");
        }

        var sequence = (ulong)Interlocked.Increment(ref _sequences.GetOrAdd(peer, static _ => new StrongBox()).Value);
        var frame = _codec.Encode(type, isResponse: false, _self.NodeId, _self.Incarnation, peer, _time.GetUtcNow(), sequence, body.Span);
        _traffic.Count(type, sent: true, frame.Length);

        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout ?? _timeout);
        byte[] answer;
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, endpoint) { Content = new ByteArrayContent(frame) };
            request.Content.Headers.ContentType = OctetStream;
            using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, deadline.Token).ConfigureAwait(false);
            if (response.StatusCode != HttpStatusCode.OK)
            {
                throw new PeerUnreachableException(peer, $"answered HTTP {(int)response.StatusCode}");
            }

            answer = await ReadBoundedAsync(response.Content, peer, deadline.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            throw new PeerUnreachableException(peer, $"no answer within {(timeout ?? _timeout).TotalMilliseconds:0} ms", ex);
        }
        catch (HttpRequestException ex)
        {
            var refused = ex.InnerException is SocketException { SocketErrorCode: SocketError.ConnectionRefused or SocketError.ConnectionReset };
            throw new PeerUnreachableException(peer, ex.Message, ex) { Refused = refused };
        }
        catch (IOException ex)
        {
            throw new PeerUnreachableException(peer, ex.Message, ex);
        }

        var decoded = _codec.Decode(answer);
        if (!decoded.IsResponse || decoded.Sequence != sequence || decoded.Sender != peer || decoded.Recipient != _self.NodeId)
        {
            throw new PeerProtocolException($"Peer {peer} answered a frame that is not the answer to request {sequence}.");
        }

        _traffic.Count(decoded.Type, sent: false, decoded.FrameBytes);
        Heard?.Invoke(peer, decoded.SenderIncarnation);
        return decoded;
    }

    public void Dispose() => _http.Dispose();

    private async Task<byte[]> ReadBoundedAsync(HttpContent content, string peer, CancellationToken cancellationToken)
    {
        var max = _codec.MaxFrameBytes;
        if (content.Headers.ContentLength is { } declared && declared > max)
        {
            throw new PeerProtocolException($"Peer {peer} announced an answer of {declared} bytes, above the limit of {max}.");
        }

        var stream = await content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        await using (stream.ConfigureAwait(false))
        {
            using var buffer = new MemoryStream();
            var chunk = new byte[16 * 1024];
            int read;
            while ((read = await stream.ReadAsync(chunk, cancellationToken).ConfigureAwait(false)) > 0)
            {
                if (buffer.Length + read > max)
                {
                    throw new PeerProtocolException($"Peer {peer} sent an answer longer than the limit of {max} bytes.");
                }

                buffer.Write(chunk, 0, read);
            }

            return buffer.ToArray();
        }
    }

    private sealed class StrongBox
    {
        public long Value;
    }
}

using System.IO.Pipelines;
using System.Net.Sockets;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Stickless.Memcached.Protocol;

namespace Stickless.Memcached.Connections;

/// <summary>
/// One socket to one memcached, shared by every caller: a write loop drains the outbox and batches whatever is
/// queued into one flush; a read loop parses replies and hands each to the oldest request in the FIFO "sent,
/// awaiting reply", after checking that the reply echoes that request's opaque token. Any I/O error, malformed
/// reply, opaque mismatch, unsolicited reply, <c>ERROR</c> or <c>CLIENT_ERROR</c> tears it down and fails every
/// request in flight; so does a request left unanswered past the dead-after delay.
/// </summary>
internal sealed partial class MemcachedConnection : IAsyncDisposable
{
    private readonly Socket _socket;
    private readonly NetworkStream _stream;
    private readonly PipeReader _input;
    private readonly PipeWriter _output;
    private readonly Channel<MemcachedRequest> _outbox = Channel.CreateUnbounded<MemcachedRequest>(
        new UnboundedChannelOptions { SingleReader = true, AllowSynchronousContinuations = false });
    private readonly Queue<MemcachedRequest> _sent = new();
    private readonly Lock _gate = new();
    private readonly CancellationTokenSource _shutdown = new();
    private readonly TaskCompletionSource<Exception> _closed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly ITimer _heartbeat;
    private readonly TimeSpan _deadAfter;
    private Action<MemcachedConnection, Exception>? _onClosed;
    private MemcachedRequest? _inDispatch;
    private Task _readLoop = Task.CompletedTask;
    private Task _writeLoop = Task.CompletedTask;
    private int _failed;
    private bool _dead;

    private MemcachedConnection(Socket socket, string node, MetaReaderLimits limits, TimeSpan deadAfter, TimeProvider time, ILogger logger)
    {
        _socket = socket;
        _stream = new NetworkStream(socket, ownsSocket: true);
        Node = node;
        Limits = limits;
        _deadAfter = deadAfter;
        _time = time;
        _logger = logger;
        _input = PipeReader.Create(_stream, new StreamPipeReaderOptions(bufferSize: 16 * 1024, minimumReadSize: 4 * 1024, leaveOpen: true));
        _output = PipeWriter.Create(_stream, new StreamPipeWriterOptions(minimumBufferSize: 16 * 1024, leaveOpen: true));
        _heartbeat = time.CreateTimer(static state => ((MemcachedConnection)state!).CheckResponsiveness(), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
    }

    /// <summary>The node, as <c>host:port</c>.</summary>
    public string Node { get; }

    /// <summary>The reader's limits; the value limit is raised to the server's <c>item_size_max</c> after the handshake.</summary>
    public MetaReaderLimits Limits { get; set; }

    /// <summary>False once the connection has failed or been closed; it never comes back.</summary>
    public bool IsAlive => Volatile.Read(ref _failed) == 0;

    /// <summary>Completes with the reason when the connection fails or is closed.</summary>
    public Task<Exception> Closed => _closed.Task;

    /// <summary>Opens the socket and starts the loops.</summary>
    /// <param name="host">Host name or address.</param>
    /// <param name="port">Port.</param>
    /// <param name="node">The node as <c>host:port</c>, for messages.</param>
    /// <param name="limits">The reader's limits.</param>
    /// <param name="deadAfter">How long the oldest request may go unanswered before the connection is dropped.</param>
    /// <param name="time">The clock.</param>
    /// <param name="logger">The logger.</param>
    /// <param name="cancellationToken">Cancels the connect.</param>
    public static async Task<MemcachedConnection> ConnectAsync(string host, int port, string node, MetaReaderLimits limits, TimeSpan deadAfter, TimeProvider time, ILogger logger, CancellationToken cancellationToken)
    {
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(host, port, cancellationToken).ConfigureAwait(false);
        }
        catch (SocketException ex)
        {
            socket.Dispose();
            throw new MemcachedConnectionException($"Could not connect to memcached {node}: {ex.Message}", ex) { Node = node };
        }
        catch
        {
            socket.Dispose();
            throw;
        }

        var connection = new MemcachedConnection(socket, node, limits, deadAfter, time, logger);
        connection.Start();
        return connection;
    }

    /// <summary>
    /// Registers the callback run once, synchronously, when the connection fails, before any request in flight is
    /// failed: whoever owns the connection learns of it before the callers do.
    /// </summary>
    public void OnClosed(Action<MemcachedConnection, Exception> callback)
    {
        _onClosed = callback;
        if (_closed.Task.IsCompleted)
        {
            callback(this, _closed.Task.Result);
        }
    }

    /// <summary>Queues <paramref name="request"/> for writing; on a dead connection it fails at once.</summary>
    public void Enqueue(MemcachedRequest request)
    {
        if (!_outbox.Writer.TryWrite(request))
        {
            request.ReleaseBuffer();
            request.Fail(new MemcachedConnectionException($"The connection to memcached {Node} is closed.") { Node = Node });
        }
    }

    /// <summary>Closes the connection; requests in flight fail with <see cref="MemcachedConnectionException"/>.</summary>
    public async ValueTask DisposeAsync()
    {
        Fail(new MemcachedConnectionException($"The connection to memcached {Node} was closed by the client.") { Node = Node }, closedByClient: true);
        try
        {
            await Task.WhenAll(_readLoop, _writeLoop).ConfigureAwait(false);
        }
        catch (Exception)
        {
            // The loops report through Fail.
        }

        _shutdown.Dispose();
    }

    private void Start()
    {
        _readLoop = Task.Run(ReadLoopAsync);
        _writeLoop = Task.Run(WriteLoopAsync);
        var period = TimeSpan.FromTicks(Math.Clamp(_deadAfter.Ticks / 4, TimeSpan.FromMilliseconds(25).Ticks, TimeSpan.FromSeconds(1).Ticks));
        _heartbeat.Change(period, period);
    }

    private void CheckResponsiveness()
    {
        MemcachedRequest? oldest;
        lock (_gate)
        {
            _sent.TryPeek(out oldest);
        }

        if (oldest is null)
        {
            return;
        }

        var waited = _time.GetElapsedTime(oldest.WrittenAt);
        if (waited > _deadAfter)
        {
            _logger.Unresponsive(Node, (long)waited.TotalMilliseconds);
            Fail(new MemcachedTimeoutException($"memcached {Node} has not answered for {(long)waited.TotalMilliseconds} ms; the connection is presumed dead and was dropped.") { Node = Node });
        }
    }

    /// <summary>Tears the connection down once; every request written or queued fails.</summary>
    private void Fail(Exception error, bool closedByClient = false)
    {
        if (Interlocked.Exchange(ref _failed, 1) != 0)
        {
            return;
        }

        List<MemcachedRequest> orphans;
        lock (_gate)
        {
            _dead = true;
            orphans = [.. _sent];
            _sent.Clear();
        }

        var culprit = _inDispatch;
        if (culprit is not null)
        {
            orphans.Insert(0, culprit);
        }

        _outbox.Writer.TryComplete();
        while (_outbox.Reader.TryRead(out var queued))
        {
            queued.ReleaseBuffer();
            orphans.Add(queued);
        }

        _heartbeat.Dispose();
        try
        {
            _shutdown.Cancel();
        }
        catch (ObjectDisposedException)
        {
        }

        try
        {
            _socket.Shutdown(SocketShutdown.Both);
        }
        catch (Exception)
        {
            // Already broken.
        }

        _stream.Dispose();
        if (error is MetaProtocolException || error is MemcachedServerException)
        {
            _logger.ProtocolError(error, Node, orphans.Count);
        }
        else if (!closedByClient && error is not MemcachedTimeoutException)
        {
            _logger.ConnectionLost(error, Node, orphans.Count);
        }

        var reason = error switch
        {
            MetaProtocolException => $"memcached {Node} sent a reply that cannot be trusted ({error.Message}); the connection was dropped and the outcome of this call is unknown.",
            MemcachedServerException => $"memcached {Node} refused an earlier request on this connection ({error.Message}); the connection was reset and the outcome of this call is unknown.",
            MemcachedConnectionException => error.Message,
            _ => $"The connection to memcached {Node} was lost: {error.Message}",
        };
        _closed.TrySetResult(error);
        _onClosed?.Invoke(this, error);
        foreach (var orphan in orphans)
        {
            if (ReferenceEquals(orphan, culprit) && error is MemcachedServerException)
            {
                // The request the server refused gets the server's own answer.
                orphan.Fail(error);
                continue;
            }

            orphan.Fail(error is MemcachedTimeoutException
                ? new MemcachedTimeoutException(reason, error) { Node = Node }
                : new MemcachedConnectionException(reason, error) { Node = Node });
        }
    }
}

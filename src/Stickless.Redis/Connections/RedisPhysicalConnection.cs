using System.IO.Pipelines;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Stickless.Redis.Resp;

namespace Stickless.Redis.Connections;

/// <summary>
/// One socket to one server, shared by every caller: a write loop drains the outbox and batches whatever is
/// queued into one flush; a read loop parses replies and hands each to the oldest command in the FIFO
/// "sent, awaiting reply". Any I/O error or malformed reply tears it down and fails every command in flight
/// with <see cref="RedisConnectionException"/>; a command unanswered past the timeout (plus a grace) tears it
/// down too, failing them with <see cref="RedisTimeoutException"/>.
/// </summary>
internal sealed partial class RedisPhysicalConnection : IAsyncDisposable
{
    private readonly Stream _stream;
    private readonly PipeReader _input;
    private readonly PipeWriter _output;
    private readonly Channel<RedisOperation> _outbox = Channel.CreateUnbounded<RedisOperation>(
        new UnboundedChannelOptions { SingleReader = true, AllowSynchronousContinuations = false });
    private readonly Queue<RedisOperation> _sent = new();
    private readonly Lock _gate = new();
    private readonly CancellationTokenSource _shutdown = new();
    private readonly TaskCompletionSource<Exception> _closed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly RedisConnectionSettings _settings;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly ITimer _heartbeat;
    private Action<RedisPhysicalConnection, Exception>? _onClosed;
    private Task _readLoop = Task.CompletedTask;
    private Task _writeLoop = Task.CompletedTask;
    private int _failed;
    private bool _dead;

    private RedisPhysicalConnection(Stream stream, RedisEndpoint endpoint, RedisConnectionSettings settings)
    {
        _stream = stream;
        Endpoint = endpoint;
        _settings = settings;
        _logger = settings.Logger;
        _time = settings.TimeProvider;
        _input = PipeReader.Create(stream, new StreamPipeReaderOptions(bufferSize: 16 * 1024, minimumReadSize: 4 * 1024, leaveOpen: true));
        _output = PipeWriter.Create(stream, new StreamPipeWriterOptions(minimumBufferSize: 16 * 1024, leaveOpen: true));
        var period = TimeSpan.FromTicks(Math.Clamp(settings.Options.CommandTimeout.Ticks / 4, TimeSpan.FromMilliseconds(50).Ticks, TimeSpan.FromSeconds(1).Ticks));
        _heartbeat = _time.CreateTimer(static state => ((RedisPhysicalConnection)state!).CheckResponsiveness(), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        HeartbeatPeriod = period;
        var timeout = settings.Options.CommandTimeout;
        DeadAfter = timeout + TimeSpan.FromTicks(Math.Clamp(timeout.Ticks / 2, TimeSpan.FromMilliseconds(100).Ticks, TimeSpan.FromSeconds(2).Ticks));
    }

    /// <summary>The server this connection talks to.</summary>
    public RedisEndpoint Endpoint { get; }

    /// <summary>False once the connection has failed or been closed; it never comes back.</summary>
    public bool IsAlive => Volatile.Read(ref _failed) == 0;

    /// <summary>Completes with the reason when the connection fails or is closed.</summary>
    public Task<Exception> Closed => _closed.Task;

    /// <summary>Commands written and not yet answered.</summary>
    public int PendingCount
    {
        get { lock (_gate) { return _sent.Count; } }
    }

    private TimeSpan HeartbeatPeriod { get; }

    /// <summary>
    /// How long the oldest command may go unanswered before the connection is presumed dead: the command timeout
    /// plus a grace (half of it, 100 ms to 2 s), so that the waiting callers see their own timeout first.
    /// </summary>
    private TimeSpan DeadAfter { get; }

    /// <summary>Opens the socket (and TLS) and starts the loops. Does not authenticate: see <see cref="RedisHandshake"/>.</summary>
    public static async Task<RedisPhysicalConnection> ConnectAsync(RedisEndpoint endpoint, RedisConnectionSettings settings, CancellationToken cancellationToken)
    {
        var options = settings.Options;
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        Stream? stream = null;
        try
        {
            await socket.ConnectAsync(endpoint.Host, endpoint.Port, cancellationToken).ConfigureAwait(false);
            stream = new NetworkStream(socket, ownsSocket: true);
            if (options.Ssl)
            {
                var ssl = new SslStream(stream, leaveInnerStreamOpen: false);
                stream = ssl;
                await ssl.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
                {
                    TargetHost = options.SslHost ?? endpoint.Host,
                    RemoteCertificateValidationCallback = options.CertificateValidation,
                }, cancellationToken).ConfigureAwait(false);
            }
            var connection = new RedisPhysicalConnection(stream, endpoint, settings);
            connection.Start();
            return connection;
        }
        catch (Exception ex)
        {
            if (stream is not null) { await stream.DisposeAsync().ConfigureAwait(false); }
            else { socket.Dispose(); }
            throw ex switch
            {
                SocketException => new RedisConnectionException($"Could not connect to Redis {endpoint}: {ex.Message}", ex) { Endpoint = endpoint },
                AuthenticationException => new RedisConnectionException($"TLS handshake with Redis {endpoint} failed: {ex.Message}", ex) { Endpoint = endpoint },
                IOException => new RedisConnectionException($"Connection to Redis {endpoint} failed while opening: {ex.Message}", ex) { Endpoint = endpoint },
                _ => ex,
            };
        }
    }

    /// <summary>Registers the callback run (synchronously, once) when the connection fails or closes.</summary>
    public void OnClosed(Action<RedisPhysicalConnection, Exception> callback)
    {
        _onClosed = callback;
        if (!IsAlive && _closed.Task.IsCompleted) { callback(this, _closed.Task.Result); }
    }

    /// <summary>Queues <paramref name="operation"/> for writing; on a dead connection it fails at once.</summary>
    public void Enqueue(RedisOperation operation)
    {
        if (!_outbox.Writer.TryWrite(operation))
        {
            operation.Fail(new RedisConnectionException($"The connection to Redis {Endpoint} is closed.") { Endpoint = Endpoint });
        }
    }

    /// <summary>Sends a command and returns its reply task (no timeout: the caller applies one).</summary>
    public Task<RespValue> SendAsync(string command, params ReadOnlyMemory<byte>[] args)
    {
        var operation = new RedisOperation(command, args);
        Enqueue(operation);
        return operation.Completion;
    }

    /// <summary>Closes the connection; commands in flight fail with <see cref="RedisConnectionException"/>.</summary>
    public async ValueTask DisposeAsync()
    {
        Fail(new RedisConnectionException($"The connection to Redis {Endpoint} was closed by the client.") { Endpoint = Endpoint });
        try { await Task.WhenAll(_readLoop, _writeLoop).ConfigureAwait(false); }
        catch (Exception) { /* the loops report through Fail; nothing more to say here */ }
        _shutdown.Dispose();
    }

    private void Start()
    {
        _readLoop = Task.Run(ReadLoopAsync);
        _writeLoop = Task.Run(WriteLoopAsync);
        _heartbeat.Change(HeartbeatPeriod, HeartbeatPeriod);
    }

    private void CheckResponsiveness()
    {
        RedisOperation? oldest;
        lock (_gate) { _sent.TryPeek(out oldest); }
        if (oldest is null) { return; }
        var waited = _time.GetElapsedTime(oldest.WrittenAt);
        if (waited > DeadAfter)
        {
            _logger.Unresponsive(Endpoint, (long)waited.TotalMilliseconds);
            // The commands in flight failed for want of an answer: to their callers that is a timeout.
            Fail(new RedisTimeoutException(
                $"Redis {Endpoint} has not answered for {(long)waited.TotalMilliseconds} ms; the connection is presumed dead and was dropped.") { Endpoint = Endpoint });
        }
    }

    /// <summary>Tears the connection down once; every command written or queued fails.</summary>
    private void Fail(Exception error)
    {
        if (Interlocked.Exchange(ref _failed, 1) != 0) { return; }
        List<RedisOperation> orphans;
        lock (_gate)
        {
            _dead = true;
            orphans = [.. _sent];
            _sent.Clear();
        }
        _outbox.Writer.TryComplete();
        while (_outbox.Reader.TryRead(out var queued)) { orphans.Add(queued); }
        _heartbeat.Dispose();
        try { _shutdown.Cancel(); } catch (ObjectDisposedException) { }
        try { _stream.Dispose(); } catch (Exception) { /* already broken */ }

        var reason = Describe(error);
        if (error is RespProtocolException) { _logger.ProtocolError(error, Endpoint); }
        else if (!IsClientClose(error)) { _logger.ConnectionLost(error, Endpoint, _settings.Role, orphans.Count); }
        foreach (var orphan in orphans)
        {
            orphan.Fail(error is RedisTimeoutException
                ? new RedisTimeoutException(reason, error) { Endpoint = Endpoint }
                : new RedisConnectionException(reason, error) { Endpoint = Endpoint });
        }
        _closed.TrySetResult(error);
        _onClosed?.Invoke(this, error);
    }

    private string Describe(Exception error) => error switch
    {
        RespProtocolException => $"Redis {Endpoint} sent a malformed reply ({error.Message}); the connection was dropped.",
        RedisConnectionException or RedisTimeoutException => error.Message,
        _ => $"The connection to Redis {Endpoint} was lost: {error.Message}",
    };

    private static bool IsClientClose(Exception error) =>
        error is RedisConnectionException rce && rce.Message.EndsWith("closed by the client.", StringComparison.Ordinal);
}
